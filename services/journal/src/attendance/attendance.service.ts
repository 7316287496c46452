import { DomainError, parseGlobalId, Validator, flushExplained } from '@district/kit';
import type { JournalContext } from '../context';
import { EditOutcomeType } from '../corrections/correction.type';
import { findEntryForEdit, JournalWrites, markWithdrawn } from '../journal-writes';
import { EntryRules } from '../lessons/entry-rules';
import { Attendance, type AttendanceCode } from './attendance.entity';
import { AttendanceType, type AttendanceInput } from './attendance.type';

const CODES: AttendanceCode[] = ['ABSENT', 'ILL', 'EXCUSED', 'LATE'];

export const attendanceSnapshot = (a: Attendance) => ({
  lessonId: a.lessonId,
  studentId: a.studentId,
  code: a.code,
  reason: a.reason ?? null,
  status: a.status,
});

export class AttendanceService {
  private readonly rules: EntryRules;
  private readonly writes: JournalWrites;

  constructor(private readonly ctx: JournalContext) {
    this.rules = new EntryRules(ctx);
    this.writes = new JournalWrites(ctx);
  }

  /** Absences and lateness of a class for one lesson, all or nothing; students not listed were present. */
  async enter(lessonGlobalId: string, inputs: AttendanceInput[], key: string): Promise<AttendanceType[]> {
    const author = this.rules.author();
    const lessonId = parseGlobalId(lessonGlobalId, 'Lesson', this.ctx.schoolId).localId;
    return this.writes.once('enterAttendance', key, { lessonGlobalId, inputs }, author, async (em) => {
      // Who may enter for this lesson is decided before the entries are validated.
      const fact = await this.rules.lesson(lessonId, lessonGlobalId);
      await this.rules.requireOpenLesson(fact);
      const students = this.validate(inputs);
      await this.rules.requireStudentsInLesson(fact, students, (id) => inputs[students.indexOf(id)]!.studentId);
      const existing = await em.find(Attendance, { lessonId, studentId: { $in: students }, status: 'ACTIVE' });
      if (existing.length)
        throw DomainError.duplicate(`Посещаемость уже отмечена для ${existing.length} обучающихся этого урока: исправьте существующие записи`);
      const now = new Date();
      const rows = inputs.map((e, i) =>
        em.create(Attendance, {
          lessonId,
          studentId: students[i]!,
          code: e.code as AttendanceCode,
          reason: e.reason?.trim() || null,
          status: 'ACTIVE',
          lessonDate: fact.date,
          enteredBy: author,
          enteredAt: now,
          delayMinutes: fact.minutesSinceEnd,
          updatedAt: now,
        }),
      );
      await flushExplained(em, 'Такая запись уже есть');
      for (const row of rows) await this.writes.audit(em, 'ATTENDANCE', row.id, 'ENTER', null, attendanceSnapshot(row));
      return rows.map((row) => AttendanceType.from(row, this.ctx.schoolId));
    });
  }

  private validate(inputs: AttendanceInput[]): number[] {
    const v = new Validator();
    v.check(inputs.length >= 1 && inputs.length <= 100, 'entries', 'От 1 до 100 записей за раз');
    const students = inputs.map((e, i) => {
      v.check(CODES.includes(e.code as AttendanceCode), `entries.${i}.code`, `Код посещаемости: ABSENT, ILL, EXCUSED или LATE`);
      v.text(`entries.${i}.reason`, e.reason, { required: false, max: 300, label: 'Причина' });
      try {
        return parseGlobalId(e.studentId, 'Student', this.ctx.schoolId).localId;
      } catch {
        v.check(false, `entries.${i}.studentId`, `Неверный идентификатор обучающегося: ${e.studentId}`);
        return 0;
      }
    });
    v.check(new Set(students).size === students.length, 'entries', 'Обучающийся указан дважды');
    v.done();
    return students;
  }

  async edit(globalId: string, version: number, code: string, absenceReason: string | null, reason: string | null, key: string): Promise<EditOutcomeType> {
    const author = this.rules.author();
    const id = parseGlobalId(globalId, 'Attendance', this.ctx.schoolId).localId;
    return this.writes.once('editAttendance', key, { globalId, version, code, absenceReason, reason }, author, async (em) => {
      const { entry: row, fact } = await findEntryForEdit(em, this.rules, Attendance, id, version, 'Запись посещаемости', globalId, (a) => ({ code: a.code }));
      const v = new Validator();
      v.check(CODES.includes(code as AttendanceCode), 'code', 'Код посещаемости: ABSENT, ILL, EXCUSED или LATE');
      const cause = v.text('absenceReason', absenceReason, { required: false, max: 300 }) ?? null;
      v.done();
      const path = await this.rules.editPath(fact, reason);
      if (path === 'correction') return this.writes.requestCorrection(em, 'ATTENDANCE', row.id, 'EDIT', { code, reason: cause }, reason!, author);
      const old = attendanceSnapshot(row);
      applyAttendanceChange(row, code as AttendanceCode, cause);
      await flushExplained(em, 'Такая запись уже есть');
      await this.writes.audit(em, 'ATTENDANCE', row.id, 'EDIT', old, attendanceSnapshot(row), reason);
      return Object.assign(new EditOutcomeType(), { applied: true, attendance: AttendanceType.from(row, this.ctx.schoolId) });
    });
  }

  async withdraw(globalId: string, version: number, reason: string | null, key: string): Promise<EditOutcomeType> {
    const author = this.rules.author();
    const id = parseGlobalId(globalId, 'Attendance', this.ctx.schoolId).localId;
    return this.writes.once('withdrawAttendance', key, { globalId, version, reason }, author, async (em) => {
      const { entry: row, fact } = await findEntryForEdit(em, this.rules, Attendance, id, version, 'Запись посещаемости', globalId, (a) => ({ code: a.code }));
      const path = await this.rules.editPath(fact, reason);
      if (path === 'correction') return this.writes.requestCorrection(em, 'ATTENDANCE', row.id, 'WITHDRAW', null, reason!, author);
      const old = attendanceSnapshot(row);
      markWithdrawn(row);
      await flushExplained(em, 'Такая запись уже есть');
      await this.writes.audit(em, 'ATTENDANCE', row.id, 'WITHDRAW', old, attendanceSnapshot(row), reason);
      return Object.assign(new EditOutcomeType(), { applied: true, attendance: AttendanceType.from(row, this.ctx.schoolId) });
    });
  }
}

export function applyAttendanceChange(row: Attendance, code: AttendanceCode, reason: string | null): void {
  row.code = code;
  row.reason = reason;
  row.updatedAt = new Date();
}
