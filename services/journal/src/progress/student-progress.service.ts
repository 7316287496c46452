import { parseGlobalId, toGlobalId, Validator } from '@district/kit';
import { daysBetween, MAX_PERIOD_DAYS } from '../analytics/progress-period';
import { RUSSIAN_ORDER } from '../analytics/progress-rules';
import type { JournalContext } from '../context';
import { weightedAverage } from '../diary/averages';
import { DiaryService } from '../diary/diary.service';
import { AttendanceSummaryType, ProgressMarkType, StudentProgressType, StudentTermGradeType, SubjectProgressType } from './student-progress.type';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Everything in one statement, whatever the period's length or the number of
 * subjects and marks. The lessons are the diary's (schedule.lesson_students:
 * the student's class and split groups on the lesson's date), so the marks
 * listed are the ones the diary shows week by week. "Held" as everywhere in
 * the journal (lessons/lesson-facts.ts): not cancelled and started, school time.
 */
const PROGRESS_SQL = `
with st as (select timezone as tz from journal.settings where id = 1),
lessons as materialized (
  select f.lesson_id, f.date, f.period, f.subject_name,
         f.status = 'SCHEDULED' and ((f.date + f.start_time) at time zone st.tz) <= now() as held
  from schedule.lesson_facts f cross join st
  where f.date between ?::date and ?::date
    and f.lesson_id in (select ls.lesson_id from schedule.lesson_students ls where ls.student_id = ?)
),
marks as (
  select l.subject_name, l.date, l.period, m.id, m.value, m.weight, m.comment, cf.name as form
  from journal.mark m
  join lessons l on l.lesson_id = m.lesson_id
  join journal.control_form cf on cf.id = m.control_form_id
  where m.student_id = ? and m.status = 'ACTIVE'
),
absences as (
  -- One active entry per student and lesson (unique index).
  select a.code, count(*) as n
  from journal.attendance a join lessons l on l.lesson_id = a.lesson_id and l.held
  where a.student_id = ? and a.status = 'ACTIVE'
  group by a.code
),
term_grades as (
  select t.name as term, t.start_date, g.term_id, g.value,
         (select min(af.subject_name) from schedule.assignment_facts af where af.subject_id = g.subject_id) as subject
  from journal.term_grade g join schedule.term_facts t on t.term_id = g.term_id
  where g.student_id = ? and t.start_date <= ?::date and t.end_date >= ?::date
)
select
  (select coalesce(json_agg(distinct subject_name), '[]'::json) from lessons) as subjects,
  (select coalesce(json_agg(json_build_array(subject_name, date::text, value, form, weight, comment) order by date, period, id), '[]'::json)
     from marks) as marks,
  (select count(*) from lessons where held) as held,
  (select coalesce(json_object_agg(code, n), '{}'::json) from absences) as absences,
  (select coalesce(json_agg(json_build_array(term_id, term, subject, value) order by start_date, term_id), '[]'::json) from term_grades) as term_grades`;

type MarkTuple = [subject: string, date: string, value: string, form: string, weight: number | string, comment: string | null];
interface ProgressRow {
  subjects: string[];
  marks: MarkTuple[];
  held: string | number;
  absences: Partial<Record<'ABSENT' | 'ILL' | 'EXCUSED' | 'LATE', string | number>>;
  /** In the terms' order (start date). */
  term_grades: [termId: number, term: string, subject: string | null, value: string][];
}

/** The period of a progress request: ISO dates, from ≤ to, at most MAX_PERIOD_DAYS days. */
function parsePeriod(from: string, to: string): { from: string; to: string } {
  const v = new Validator();
  const date = (field: 'from' | 'to', value: string, label: string): string | undefined => {
    const text = value.trim();
    if (ISO_DATE.test(text)) return v.date(field, text, { label, min: '2000-01-01', max: '2100-12-31' });
    v.check(false, field, `${label}: дата в формате ГГГГ-ММ-ДД, например 2026-11-02${text ? ` (получено «${text}»)` : ''}`);
    return undefined;
  };
  const start = date('from', from, 'Начало периода');
  const end = date('to', to, 'Конец периода');
  if (start && end) {
    v.check(end >= start, 'to', 'Конец периода раньше его начала');
    v.check(daysBetween(start, end) + 1 <= MAX_PERIOD_DAYS, 'to', `Период не длиннее ${MAX_PERIOD_DAYS} дней`);
  }
  v.done('Период указан неверно');
  return { from: start!, to: end! };
}

/**
 * A student's current progress over a period (marks by subject with forms and
 * weights, weighted averages, attendance, term grades): the diary's data
 * gathered for the state services portal, so the portal gets what a parent
 * sees. Who may read it is the diary's rule (DiaryService.requireReader).
 * One statement to read, plus the diary's one to decide access.
 */
export class StudentProgressService {
  constructor(private readonly ctx: JournalContext) {}

  /** For a viewer: the diary's access rule first, then the read. */
  async forViewer(studentGlobalId: string, from: string, to: string): Promise<StudentProgressType> {
    const studentId = parseGlobalId(studentGlobalId, 'Student', this.ctx.schoolId).localId;
    await new DiaryService(this.ctx).requireReader(studentId);
    return this.read(studentId, from, to);
  }

  /** Reads only: for a caller that has already decided the viewer may read this student. */
  async read(studentId: number, from: string, to: string): Promise<StudentProgressType> {
    const period = parsePeriod(from, to);
    const [row] = await this.ctx.em.execute<ProgressRow[]>(PROGRESS_SQL, [
      period.from,
      period.to,
      studentId,
      studentId,
      studentId,
      studentId,
      period.to,
      period.from,
    ]);
    const r = row!;

    const marksBy = new Map<string, MarkTuple[]>(r.subjects.map((s) => [s, []]));
    for (const m of r.marks) marksBy.get(m[0])!.push(m);
    const subjects = [...marksBy]
      .sort(([a], [b]) => RUSSIAN_ORDER.compare(a, b))
      .map(([subject, marks]) =>
        Object.assign(new SubjectProgressType(), {
          subject,
          marks: marks.map(([, date, value, controlForm, weight, comment]) =>
            Object.assign(new ProgressMarkType(), { date, value, controlForm, weight: Number(weight), comment }),
          ),
          marksCount: marks.length,
          average: weightedAverage(marks.map(([, , value, , weight]) => ({ value, weight }))),
        }),
      );

    const count = (code: keyof ProgressRow['absences']) => Number(r.absences[code] ?? 0);
    const termRank = new Map<number, number>();
    for (const [termId] of r.term_grades) if (!termRank.has(termId)) termRank.set(termId, termRank.size);
    const termGrades = [...r.term_grades]
      .sort(([termA, , subjectA], [termB, , subjectB]) => termRank.get(termA)! - termRank.get(termB)! || RUSSIAN_ORDER.compare(subjectA ?? '', subjectB ?? ''))
      .map(([, term, subject, grade]) => Object.assign(new StudentTermGradeType(), { term, subject: subject ?? '', grade }));

    return Object.assign(new StudentProgressType(), {
      studentId: toGlobalId('Student', this.ctx.schoolId, studentId),
      from: period.from,
      to: period.to,
      subjects,
      attendance: Object.assign(new AttendanceSummaryType(), {
        lessons: Number(r.held),
        absent: count('ABSENT'),
        sick: count('ILL'),
        excused: count('EXCUSED'),
        late: count('LATE'),
      }),
      termGrades,
    });
  }
}
