import { allows, allowsSomewhere, DIARY_READER_KINDS, DomainError, requireAction, Validator } from '@district/kit';
import type { MonitoringContext } from '../context';
import { findCollectionRun, listCollectionRuns, parseCollectionRunId, type CollectionRun } from './collection-run';
import { currentMonth, requireMonth } from './month';
import { findReport, monthLines, reportVersions, type MonthlyReport, type SchoolMonthLine } from './report';
import type { DiaryOpenInput } from './monitoring.type';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reading and running the district's monitoring; every access rule of it is here. */
export class MonitoringService {
  constructor(private readonly ctx: MonitoringContext) {}

  /**
   * Who sees which school's monitoring: district analysts and admins every
   * school they may reach; a school's deputy or director their own school;
   * nobody else (FORBIDDEN). The figures are aggregates only.
   */
  visibility(): (schoolId: string) => boolean {
    const { viewer } = this.ctx;
    if (!allowsSomewhere(viewer, 'aggregates:read')) throw DomainError.forbidden('Мониторинг доступен району и администрации своей школы');
    return (id) => allows(viewer, 'aggregates:read', id);
  }

  private month(month: string): string {
    return requireMonth(month, this.ctx.collector.timezone);
  }

  /** The stored figures of a month for every school (or the named ones), current or stale. */
  async lines(month: string, schoolIds?: readonly string[] | null): Promise<SchoolMonthLine[]> {
    const visible = this.visibility();
    this.month(month);
    if (schoolIds) {
      const unique = [...new Set(schoolIds)];
      // Visibility first: a school-bound viewer must not learn which other school codes have figures.
      const hidden = unique.filter((id) => !visible(id));
      if (hidden.length) throw DomainError.forbidden(`Нет доступа к мониторингу школ: ${hidden.join(', ')}`);
      const lines = await monthLines(this.ctx.em, month, unique);
      const unknown = unique.filter((id) => !lines.some((l) => l.schoolId === id));
      if (unknown.length) throw DomainError.notFound('Школа', unknown.join(', '));
      return lines;
    }
    return (await monthLines(this.ctx.em, month)).filter((l) => visible(l.schoolId));
  }

  async report(month: string, version?: number | null): Promise<{ report: MonthlyReport; visible: (id: string) => boolean } | null> {
    const visible = this.visibility();
    this.month(month);
    if (version != null && (!Number.isInteger(version) || version < 1))
      throw DomainError.invalid(`Версия отчёта — целое число от 1: ${version}`, [{ field: 'version', message: '≥ 1' }]);
    const report = await findReport(this.ctx.em, month, version);
    if (!report && version != null) throw DomainError.notFound('Версия отчёта', `${month} v${version}`);
    return report && { report, visible };
  }

  async versions(month: string): Promise<{ reports: MonthlyReport[]; visible: (id: string) => boolean }> {
    const visible = this.visibility();
    this.month(month);
    return { reports: await reportVersions(this.ctx.em, month), visible };
  }

  /** Collection runs are read by the district office (admins and analysts). */
  async run(id: string): Promise<CollectionRun> {
    requireAction(this.ctx.viewer, 'district:read');
    const runId = parseCollectionRunId(id);
    // A run whose process is gone is marked interrupted before anyone is told it is still running.
    await this.ctx.collector.runs.sweep();
    const run = await findCollectionRun(this.ctx.em, runId);
    if (!run) throw DomainError.notFound('Запуск сбора', id);
    return run;
  }

  async runs(month: string, limit: number): Promise<CollectionRun[]> {
    requireAction(this.ctx.viewer, 'district:read');
    this.month(month);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw DomainError.invalid(`Число запусков — от 1 до 100: ${limit}`, [{ field: 'limit', message: '1–100' }]);
    await this.ctx.collector.runs.sweep();
    return listCollectionRuns(this.ctx.em, month, limit);
  }

  /**
   * On demand, by a district admin: the same run the nightly schedule makes.
   * Answers at once with the run (RUNNING), or with the month's run already
   * under way; the schools are asked in the background.
   */
  async collect(month: string): Promise<CollectionRun> {
    requireAction(this.ctx.viewer, 'monitoring:collect');
    this.month(month);
    return (await this.ctx.collector.start(month, 'MANUAL', this.ctx.viewer.username)).run;
  }

  /**
   * Diary views from the gateway: one row per person, school, role and month
   * (the first view), so replays and repeated views count once. Only the
   * gateway's service account may write them.
   */
  async recordDiaryOpens(opens: DiaryOpenInput[]): Promise<number> {
    requireAction(this.ctx.viewer, 'diaryOpens:record');
    const v = new Validator();
    v.check(opens.length <= 1000, 'opens', 'Не более 1000 записей за раз');
    const rows = opens.map((o, i) => {
      const at = new Date(o.openedAt);
      v.check(UUID.test(o.personId), `opens.${i}.personId`, 'person_id — UUID');
      v.check((DIARY_READER_KINDS as readonly string[]).includes(o.role), `opens.${i}.role`, `одно из: ${DIARY_READER_KINDS.join(', ')}`);
      v.check(/^s[0-9]{3,}$/.test(o.schoolId), `opens.${i}.schoolId`, 'код школы вида s001');
      v.check(!Number.isNaN(at.getTime()), `opens.${i}.openedAt`, 'время ISO 8601');
      return { ...o, at, month: Number.isNaN(at.getTime()) ? '' : currentMonth(this.ctx.collector.timezone, at) };
    });
    v.done();
    if (rows.length === 0) return 0;
    return this.ctx.em.transactional(async (tx) => {
      let added = 0;
      for (const r of rows) {
        const result = await tx.execute(
          `insert into monitoring.diary_open (month, school_id, role, person_id, first_opened_at) values (?, ?, ?, ?, ?) on conflict do nothing`,
          [r.month, r.schoolId, r.role, r.personId.toLowerCase(), r.at],
          'run',
        );
        added += Number((result as { affectedRows?: number }).affectedRows ?? 0);
      }
      return added;
    });
  }
}
