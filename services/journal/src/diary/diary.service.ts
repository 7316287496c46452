import { allows, allowsSomewhere, DomainError, parseGlobalId, toGlobalId, Validator } from '@district/kit';
import { ATTENDANCE_LETTERS, type AttendanceCodeEnum } from '../attendance/attendance.type';
import type { JournalContext } from '../context';
import type { LessonFact } from '../lessons/lesson-facts';
import { weightedAverage, proposedGrade } from './averages';
import { DiaryDayType, DiaryLessonType, DiarySubjectType, DiaryWeekType } from './diary.type';

const WEEKDAYS = ['Вс', 'Пн', 'Вт', 'Ср', 'Чт', 'Пт', 'Сб'];
type Row = Record<string, unknown>;

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The electronic diary: a student's week (lessons with topics, homework,
 * marks and attendance) and the term's averages per subject. A fixed number
 * of statements per student, whatever the number of lessons and marks.
 */
export class DiaryService {
  constructor(private readonly ctx: JournalContext) {}

  /**
   * A diary is personal data (docs/security.md): the school's deputies and
   * director read every diary; a teacher the diaries of the students they
   * teach or whose class they lead; the student their own; a parent their
   * children's; a district admin a student's while their logged access to that
   * student is open. District analysts never.
   */
  async requireReader(studentId: number): Promise<void> {
    const { viewer, schoolId } = this.ctx;
    if (allows(viewer, 'personal:readAll', schoolId)) return;
    const ofThisSchool = viewer.schoolIds.includes(schoolId);
    const ask = { own: ofThisSchool, teacher: allows(viewer, 'personal:readTaught', schoolId), district: allows(viewer, 'personal:openAccess', schoolId) };
    const grounds = viewer.personId ? await this.ctx.loaders.facts.personalDataGrounds(viewer.personId, studentId, ask) : undefined;
    if (grounds && (grounds.own || grounds.taught || grounds.districtAccess)) return;
    if (allowsSomewhere(viewer, 'personal:openAccess')) {
      throw DomainError.forbidden(
        'Дневник обучающегося доступен администратору округа только после открытия доступа к его персональным данным с указанием причины (openPersonalDataAccess)',
      );
    }
    if (allowsSomewhere(viewer, 'district:read'))
      throw DomainError.forbidden('Аналитику округа доступны только обобщённые показатели, без дневников обучающихся');
    throw DomainError.forbidden('Дневник доступен обучающемуся, его родителям, его учителям и классному руководителю, завучу и директору школы');
  }

  async week(studentGlobalId: string, weekStartInput: string): Promise<DiaryWeekType> {
    const studentId = parseGlobalId(studentGlobalId, 'Student', this.ctx.schoolId).localId;
    const v = new Validator();
    const date = v.date('weekStart', weekStartInput, { label: 'Начало недели', min: '2000-01-01', max: '2100-01-01' });
    v.done();
    await this.requireReader(studentId);
    return this.readWeek(studentId, date!);
  }

  /** The week holding `date` of a student whose reader was decided already (requireReader, or the portal's match). */
  async readWeek(studentId: number, date: string): Promise<DiaryWeekType> {
    // Weeks start on Monday whatever day was given.
    const day = new Date(`${date}T00:00:00Z`).getUTCDay();
    const monday = addDays(date, day === 0 ? -6 : 1 - day);
    const sunday = addDays(monday, 6);

    const facts = this.ctx.loaders.facts;
    const lessons = await facts.lessonsOfStudent(studentId, monday, sunday);
    const ids = lessons.map((l) => l.lessonId);
    const connection = this.ctx.em;
    const [records, marks, attendance, term] = await Promise.all([
      ids.length
        ? connection.execute<Row[]>(`select lesson_id, topic, homework, homework_attachments from journal.lesson_record where lesson_id in (?)`, [ids])
        : Promise.resolve([]),
      ids.length
        ? connection.execute<Row[]>(
            `select m.lesson_id, m.value, m.weight, m.comment, f.name as form from journal.mark m join journal.control_form f on f.id = m.control_form_id
             where m.student_id = ? and m.lesson_id in (?) and m.status = 'ACTIVE' order by m.id`,
            [studentId, ids],
          )
        : Promise.resolve([]),
      ids.length
        ? connection.execute<Row[]>(`select lesson_id, code from journal.attendance where student_id = ? and lesson_id in (?) and status = 'ACTIVE'`, [
            studentId,
            ids,
          ])
        : Promise.resolve([]),
      this.termOf(studentId, monday, lessons),
    ]);
    const subjects = term ? await this.termSubjects(studentId, term) : [];

    const recordBy = new Map(records.map((r) => [Number(r.lesson_id), r]));
    const attendanceBy = new Map(attendance.map((a) => [Number(a.lesson_id), String(a.code)]));
    const marksBy = new Map<number, Row[]>();
    for (const m of marks) marksBy.set(Number(m.lesson_id), [...(marksBy.get(Number(m.lesson_id)) ?? []), m]);

    const days: DiaryDayType[] = [];
    for (let i = 0; i < 7; i++) {
      const iso = addDays(monday, i);
      const dayLessons = lessons.filter((l) => l.date === iso);
      if (i === 6 && dayLessons.length === 0) continue;
      days.push(
        Object.assign(new DiaryDayType(), {
          date: iso,
          weekday: WEEKDAYS[new Date(`${iso}T00:00:00Z`).getUTCDay()]!,
          lessons: dayLessons.map((l) => this.lesson(l, recordBy.get(l.lessonId), marksBy.get(l.lessonId) ?? [], attendanceBy.get(l.lessonId))),
        }),
      );
    }
    return Object.assign(new DiaryWeekType(), { weekStart: monday, term: term?.name ?? null, days, subjects });
  }

  private lesson(l: LessonFact, record: Row | undefined, marks: Row[], code: string | undefined): DiaryLessonType {
    return Object.assign(new DiaryLessonType(), {
      lesson: { id: toGlobalId('Lesson', this.ctx.schoolId, l.lessonId) },
      period: l.period,
      startTime: l.startTime,
      endTime: l.endTime,
      subject: l.groupName ? `${l.subjectName} (${l.groupName})` : l.subjectName,
      cancelled: l.status === 'CANCELLED',
      topic: (record?.topic as string | null) ?? null,
      homework: (record?.homework as string | null) ?? null,
      homeworkAttachments: (record?.homework_attachments as string[] | undefined) ?? [],
      marks: marks.map((m) => ({
        value: String(m.value),
        controlForm: String(m.form),
        weight: Number(m.weight),
        comment: (m.comment as string | null) ?? null,
      })),
      attendance: code ? ATTENDANCE_LETTERS[code as AttendanceCodeEnum] : null,
    });
  }

  /** The term the week falls in: the week's lessons name it, else the term around the date. */
  private async termOf(studentId: number, monday: string, lessons: LessonFact[]): Promise<{ id: number; name: string; start: string; end: string } | null> {
    const connection = this.ctx.em;
    const rows = lessons.length
      ? await connection.execute<Row[]>(`select term_id, name, start_date::text as start, end_date::text as end from schedule.term_facts where term_id = ?`, [
          lessons[0]!.termId,
        ])
      : await connection.execute<Row[]>(
          `select t.term_id, t.name, t.start_date::text as start, t.end_date::text as end from schedule.term_facts t
           join people.enrollment_facts e on e.student_id = ? and e.start_date <= ? and (e.end_date is null or e.end_date >= ?)
           join people.class_group_facts c on c.class_group_id = e.class_group_id
           where t.start_date <= ? and t.end_date >= ? and c.year_of_study between t.years_from and t.years_to limit 1`,
          [studentId, monday, monday, addDays(monday, 6), monday],
        );
    const r = rows[0];
    return r ? { id: Number(r.term_id), name: String(r.name), start: String(r.start), end: String(r.end) } : null;
  }

  /** Marks of the term per subject (one statement), averaged by the one rule. */
  private async termSubjects(studentId: number, term: { start: string; end: string }): Promise<DiarySubjectType[]> {
    const rows = await this.ctx.em.execute<Row[]>(
      `select f.subject_name, m.value, m.weight from journal.mark m join schedule.lesson_facts f on f.lesson_id = m.lesson_id
       where m.student_id = ? and m.status = 'ACTIVE' and m.lesson_date between ? and ? order by f.subject_name, m.lesson_date, m.id`,
      [studentId, term.start, term.end],
    );
    const bySubject = new Map<string, Row[]>();
    for (const r of rows) bySubject.set(String(r.subject_name), [...(bySubject.get(String(r.subject_name)) ?? []), r]);
    return [...bySubject].map(([subject, marks]) => {
      const average = weightedAverage(marks.map((m) => ({ value: String(m.value), weight: String(m.weight) })));
      return Object.assign(new DiarySubjectType(), {
        subject,
        average,
        proposedGrade: proposedGrade(average),
        marksCount: marks.length,
        marks: marks.map((m) => String(m.value)),
      });
    });
  }
}
