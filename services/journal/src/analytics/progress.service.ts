import { toGlobalId } from '@district/kit';
import type { JournalContext } from '../context';
import { readProgressFacts } from './progress-facts';
import { parsePeriod, resolvePeriod } from './progress-period';
import { ProgressCalculator, RUSSIAN_ORDER, type AtRiskStudent } from './progress-rules';
import type { ProgressDimension, ProgressPeriodInput } from './progress.inputs';
import { LowSubject, ProgressRow, SchoolProgress, StudentAtRisk } from './progress.type';

/**
 * Progress analytics of the school (успеваемость, качество знаний, средний
 * балл, посещаемость, группа риска) for a term or a date range. Two
 * statements per request (the school's clock and terms, then every fact),
 * plus one for the names of students at risk when a deputy asks for them.
 * Definitions: docs/analytics.md.
 */
export class ProgressService {
  constructor(private readonly ctx: JournalContext) {}

  async progress(input: ProgressPeriodInput, groupBy: readonly ProgressDimension[]): Promise<SchoolProgress> {
    const period = await resolvePeriod(this.ctx, parsePeriod(input));
    const calculator = new ProgressCalculator(await readProgressFacts(this.ctx, period));
    const schoolId = this.ctx.schoolId;
    return Object.assign(new SchoolProgress(), {
      from: period.from,
      to: period.to,
      termName: period.termName,
      rows: calculator.rows(groupBy).map((figures) => Object.assign(new ProgressRow(), { schoolId, ...figures })),
      atRisk: calculator.atRisk(),
    });
  }

  /** Names the students at risk (one statement), sorted by year of study, class group and surname. */
  async studentsAtRisk(atRisk: readonly AtRiskStudent[]): Promise<StudentAtRisk[]> {
    if (atRisk.length === 0) return [];
    const rows = await this.ctx.em.execute<{ student_id: number; full_name: string }[]>(
      `select student_id, concat_ws(' ', last_name, first_name, middle_name) as full_name from people.student_facts where student_id in (?)`,
      [atRisk.map((s) => s.studentId)],
    );
    const names = new Map(rows.map((r) => [Number(r.student_id), String(r.full_name)]));
    return atRisk
      .map((s) =>
        Object.assign(new StudentAtRisk(), {
          studentId: toGlobalId('Student', this.ctx.schoolId, s.studentId),
          fullName: names.get(s.studentId) ?? '',
          classGroup: s.classGroup,
          yearOfStudy: s.yearOfStudy,
          lowSubjects: s.lowSubjects.map((l) => Object.assign(new LowSubject(), l)),
          absenceShare: s.absenceShare,
        }),
      )
      .sort((a, b) => a.yearOfStudy - b.yearOfStudy || RUSSIAN_ORDER.compare(a.classGroup, b.classGroup) || RUSSIAN_ORDER.compare(a.fullName, b.fullName));
  }
}
