/**
 * The year-end archive of a class's journal as a printable PDF: every
 * subject, every lesson (topic, homework), marks, attendance, averages and
 * term grades. Schools print and keep it when the academic year ends.
 *
 *   const pdf = await buildClassArchive(em, { classGroupName: '5А', academicYear: '2026/2027', schoolName: 'Школа № 1' });
 *
 * `db` is the school's database: a MikroORM EntityManager of any school
 * service, or a node-postgres Client / Pool. See archive-model.ts for what
 * is read, archive-pdf.ts for the layout, README.md for the CLI.
 */
import { loadArchiveModel, type ArchiveDb, type ArchiveModel, type ArchiveOptions } from './archive-model';
import { renderArchivePdf } from './archive-pdf';

export { ArchiveError, loadArchiveModel, loadArchiveData, dataSha256, normalizeClassName } from './archive-model';
export type { ArchiveDb, ArchiveModel, ArchiveOptions, ArchiveSubject, ArchiveStudent, ArchiveLesson, ArchiveCell, ArchiveTerm } from './archive-model';
export { renderArchivePdf, cellText, markText, chunkLessons, LESSONS_PER_PAGE, NO_TERM_GRADES, NO_YEAR_GRADES, ATTENDANCE_LETTERS } from './archive-pdf';

export interface BuildOptions extends ArchiveOptions {
  /** Time zone the production time is printed in (default Europe/Moscow). */
  timeZone?: string;
}

/** The PDF and the data it shows. */
export async function buildClassArchiveWithModel(db: ArchiveDb, options: BuildOptions): Promise<{ pdf: Buffer; model: ArchiveModel }> {
  const model = await loadArchiveModel(db, options);
  const pdf = await renderArchivePdf(model, { timeZone: options.timeZone });
  return { pdf, model };
}

/** The class's archive PDF for one academic year. Throws ArchiveError for an unknown class or a class without lessons. */
export async function buildClassArchive(db: ArchiveDb, options: BuildOptions): Promise<Buffer> {
  return (await buildClassArchiveWithModel(db, options)).pdf;
}
