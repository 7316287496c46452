import { allows, DomainError, findForEdit, flushExplained, parseGlobalId, requireAction } from '@district/kit';
import { JournalError } from '../journal.errors';
import { Attendance, type AttendanceCode } from '../attendance/attendance.entity';
import { applyAttendanceChange, attendanceSnapshot } from '../attendance/attendance.service';
import { ControlForm } from '../control-forms/control-form.entity';
import type { JournalContext } from '../context';
import { inTransactionContext, JournalWrites, markWithdrawn } from '../journal-writes';
import { Mark, type MarkValue } from '../marks/mark.entity';
import { applyMarkChange, markSnapshot } from '../marks/mark.service';
import { CorrectionRequest, type CorrectionStatus } from './correction-request.entity';
import { CorrectionType } from './correction.type';

/** Corrections after the edit window: a deputy (or the director) approves or rejects each one. */
export class CorrectionService {
  private readonly writes: JournalWrites;

  constructor(private readonly ctx: JournalContext) {
    this.writes = new JournalWrites(ctx);
  }

  /** Deputies see the school's requests; a teacher sees their own. */
  async list(status: CorrectionStatus | null): Promise<CorrectionType[]> {
    const { viewer, schoolId, em } = this.ctx;
    const where: Record<string, unknown> = status ? { status } : {};
    if (!allows(viewer, 'journal:control', schoolId)) {
      requireAction(viewer, 'journal:enter', schoolId);
      if (!viewer.personId) throw DomainError.forbidden();
      where.requestedBy = viewer.personId;
    }
    const rows = await em.find(CorrectionRequest, where, { orderBy: { requestedAt: 'asc', id: 'asc' } });
    return rows.map((r) => CorrectionType.from(r, schoolId));
  }

  async decide(globalId: string, version: number, approve: boolean, comment: string | null): Promise<CorrectionType> {
    const { viewer, schoolId } = this.ctx;
    if (!allows(viewer, 'journal:control', schoolId) || !viewer.personId)
      throw DomainError.forbidden('Исправления утверждает заместитель директора или директор');
    const id = parseGlobalId(globalId, 'CorrectionRequest', schoolId).localId;
    return this.ctx.em.transactional((tx) =>
      inTransactionContext(this.ctx, tx, async (em) => {
        // Nobody decides their own request: refused before the version, like any other lack of right.
        const authorize = (r: CorrectionRequest) => {
          if (r.requestedBy === viewer.personId) throw DomainError.forbidden('Нельзя утверждать собственный запрос на исправление');
        };
        const request = await findForEdit(em, CorrectionRequest, { id }, version, 'Запрос на исправление', globalId, {
          authorize,
          current: (r) => ({ status: r.status }),
        });
        if (request.status !== 'PENDING') throw DomainError.conflict('Решение по запросу уже принято', { status: request.status });
        request.status = approve ? 'APPROVED' : 'REJECTED';
        request.decidedBy = viewer.personId;
        request.decidedAt = new Date();
        request.decisionComment = comment?.trim() || null;

        const applied = approve ? await this.apply(em, request) : null;
        await flushExplained(em, 'Такая запись уже есть');
        await this.writes.audit(
          em,
          'CORRECTION',
          request.id,
          approve ? 'APPROVE' : 'REJECT',
          { status: 'PENDING' },
          { status: request.status, comment: request.decisionComment },
          request.reason,
        );
        if (applied) await this.writes.audit(em, applied.entity, applied.id, `CORRECTION_${request.action}`, applied.old, applied.now(), request.reason);
        return CorrectionType.from(request, schoolId);
      }),
    );
  }

  /** Applies an approved request to its entry (rows changed before any audit row is written). */
  private async apply(em: JournalContext['em'], request: CorrectionRequest): Promise<{ entity: string; id: number; old: unknown; now: () => unknown }> {
    const proposed = request.proposed ?? {};
    if (request.target === 'MARK') {
      const mark = await em.findOne(Mark, { id: request.targetId });
      if (!mark || mark.status !== 'ACTIVE') throw DomainError.conflict('Отметка уже отозвана или удалена');
      await this.requireOpenTerm(mark.lessonId);
      const form = (await em.findOne(ControlForm, { id: mark.controlFormId }))!;
      const old = markSnapshot(mark, form);
      let finalForm = form;
      if (request.action === 'WITHDRAW') {
        markWithdrawn(mark);
      } else {
        const newForm = proposed.controlForm ? await em.findOne(ControlForm, { code: String(proposed.controlForm) }) : null;
        if (newForm) finalForm = newForm;
        applyMarkChange(mark, { value: proposed.value as MarkValue, form: newForm ?? undefined, comment: (proposed.comment as string | null) ?? null });
      }
      return { entity: 'MARK', id: mark.id, old, now: () => markSnapshot(mark, finalForm) };
    }
    const row = await em.findOne(Attendance, { id: request.targetId });
    if (!row || row.status !== 'ACTIVE') throw DomainError.conflict('Запись посещаемости уже отозвана');
    await this.requireOpenTerm(row.lessonId);
    const old = attendanceSnapshot(row);
    if (request.action === 'WITHDRAW') {
      markWithdrawn(row);
    } else applyAttendanceChange(row, proposed.code as AttendanceCode, (proposed.reason as string | null) ?? null);
    return { entity: 'ATTENDANCE', id: row.id, old, now: () => attendanceSnapshot(row) };
  }

  private async requireOpenTerm(lessonId: number): Promise<void> {
    const fact = await this.ctx.loaders.facts.lesson.load(lessonId);
    if (fact?.termClosed) throw new JournalError('TERM_CLOSED', 'Четверть (триместр) закрыта');
  }
}
