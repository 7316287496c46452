import { randomUUID } from 'node:crypto';
import { parse, print, type EnumTypeDefinitionNode, type InputObjectTypeDefinitionNode, type ObjectTypeDefinitionNode } from 'graphql';
import { PeopleSeed } from '@district/people';
import { AcademicYear, ScheduleSeed, type TeachingAssignment } from '@district/schedule';
import { proposedGrade, weightedAverage } from '../src/diary/averages';
import { codes, PERSON, startJournalWorld, type GraphQLAnswer, type JournalWorld } from './journal-test-world';

/**
 * Progress analytics (docs/analytics.md): every figure of several groupings is
 * recomputed here from the raw tables (schedule.lesson, teaching_assignment,
 * people.enrollment, journal.mark, journal.attendance, journal.term_grade) and
 * the TS averages helpers, and compared exactly with the GraphQL answer.
 */
let w: JournalWorld;
let academicYear: string;
let term: { id: number; start: string; end: string; name: string };
let range: { from: string; to: string };
const extra = {} as {
  orkse: TeachingAssignment;
  english: TeachingAssignment;
  history: TeachingAssignment;
  pe: TeachingAssignment;
  nature: TeachingAssignment;
  class6B: number;
  class1A: number;
  yakovlev: number;
};

const key = () => `k-${randomUUID()}`;
const localId = (globalId: string) => Number(Buffer.from(globalId, 'base64url').toString().split(':')[2]);

const ROW_FIELDS = [
  'schoolId',
  'yearOfStudy',
  'classGroup',
  'subject',
  'students',
  'ratedStudents',
  'qualityStudents',
  'successStudents',
  'qualityRate',
  'successRate',
  'numericMarks',
  'weightedMarkSum',
  'weightSum',
  'averageMark',
  'lessonSlots',
  'absences',
  'attendanceRate',
  'studentsAtRisk',
];
const AT_RISK_FIELDS = 'studentId fullName classGroup yearOfStudy lowSubjects { subject average } absenceShare';
const progressQuery = (withNames: boolean) => `query($r: [_Any!]!, $p: ProgressPeriodInput!, $g: [ProgressDimension!]!) {
  _entities(representations: $r) { ... on School { id progress(period: $p, groupBy: $g) { from to termName rows { ${ROW_FIELDS.join(' ')} } ${withNames ? `studentsAtRisk { ${AT_RISK_FIELDS} }` : ''} } } }
}`;
const ENTER_MARKS = `mutation($lesson: ID!, $marks: [MarkInput!]!, $key: String!) { enterMarks(lessonId: $lesson, marks: $marks, idempotencyKey: $key) { id } }`;
const ENTER_ATTENDANCE = `mutation($lesson: ID!, $entries: [AttendanceInput!]!, $key: String!) { enterAttendance(lessonId: $lesson, entries: $entries, idempotencyKey: $key) { id } }`;

type Period = { from?: string; to?: string; academicYear?: string; termNumber?: number };
type Dimension = 'YEAR_OF_STUDY' | 'CLASS_GROUP' | 'SUBJECT';

function progress(user: string, period: Period, groupBy: Dimension[] = [], options: { school?: string; withNames?: boolean } = {}): Promise<GraphQLAnswer> {
  return w.gql(user, progressQuery(options.withNames ?? false), { r: [{ __typename: 'School', id: options.school ?? 's001' }], p: period, g: groupBy });
}

async function ok(promise: Promise<GraphQLAnswer>): Promise<any> {
  const answer = await promise;
  expect(answer.errors).toBeUndefined();
  return answer.data;
}

async function progressOf(user: string, period: Period, groupBy: Dimension[] = [], withNames = false) {
  return (await ok(progress(user, period, groupBy, { withNames })))._entities[0].progress;
}

const student = (i: number) => (i === 0 ? w.ids.petrov : w.ids.classmates[i - 1]!);
const sid = (i: number) => w.id('Student', student(i));

/** Held lessons (started by now) of an assignment in the open term, oldest first. */
async function heldLessons(assignment: TeachingAssignment): Promise<number[]> {
  const rows = await w.sql<{ id: number }>(
    `select l.id from schedule.lesson l cross join journal.settings s
     where l.teaching_assignment_id = ? and l.term_id = ? and l.status = 'SCHEDULED' and ((l.date + l.start_time) at time zone s.timezone) <= now() - interval '1 minute'
     order by l.date, l.period`,
    [assignment.id, term.id],
  );
  return rows.map((r) => Number(r.id));
}

/** A mark straight into the table (Russian is another teacher's, who has no login here); the weight copied from the form as the service does. */
async function insertMark(lessonId: number, studentId: number, value: string, form: string): Promise<void> {
  await w.sql(
    `insert into journal.mark (lesson_id, student_id, value, control_form_id, weight, status, lesson_date, entered_by, entered_at, delay_minutes, updated_at)
     select l.id, ?, ?, cf.id, cf.weight, 'ACTIVE', l.date, ?, now(), 0, now() from schedule.lesson l cross join journal.control_form cf where l.id = ? and cf.code = ?`,
    [studentId, value, PERSON.teacher, lessonId, form],
  );
}

async function insertAbsences(lessonIds: number[], studentId: number, code: string): Promise<void> {
  await w.sql(
    `insert into journal.attendance (lesson_id, student_id, code, status, lesson_date, entered_by, entered_at, delay_minutes, updated_at)
     select l.id, ?, ?, 'ACTIVE', l.date, ?, now(), 0, now() from schedule.lesson l where l.id in (?)`,
    [studentId, code, PERSON.teacher, lessonIds],
  );
}

async function insertTermGrade(studentId: number, subjectId: number, value: string): Promise<void> {
  await w.sql(`insert into journal.term_grade (term_id, student_id, subject_id, value, set_by, set_at) values (?, ?, ?, ?, ?, now())`, [
    term.id,
    studentId,
    subjectId,
    value,
    PERSON.teacher,
  ]);
}

beforeAll(async () => {
  w = await startJournalWorld();
  // The world's people seed names its class groups' academic year as a constant; make it the schedule's (as at a real school).
  const [year] = await w.sql<{ id: number; name: string }>(`select id, name from schedule.academic_year`);
  await w.sql(`update people.class_group set academic_year = ?`, [year!.name]);
  academicYear = year!.name;
  const [t] = await w.sql<{ id: number; start: string; end: string; name: string }>(
    `select id, start_date::text as start, end_date::text as end, name from schedule.term where academic_year_id = ? and number = 2`,
    [year!.id],
  );
  term = { id: Number(t!.id), start: t!.start, end: t!.end, name: t!.name };
  range = { from: term.start, to: w.dates.today };

  // More of the school: a year-1 class (ungraded), 6Б with history and PE, 5А's pass/fail ОРКСЭ and a split English group.
  const people = new PeopleSeed(w.people.em(), academicYear);
  const class1A = people.classGroup('1А');
  class1A.student({ lastName: 'Яковлев', firstName: 'Тимур', middleName: 'Сергеевич', birthDate: '2019-04-04' });
  const [yakovlev] = class1A.students; // (the seed forgets its students once flushed)
  await people.flush();
  const [class6B] = await w.sql<{ id: number }>(`select id from people.class_group where name = '6Б'`);
  extra.class6B = Number(class6B!.id);
  extra.class1A = class1A.group.id;
  extra.yakovlev = yakovlev!.id;

  const s = new ScheduleSeed(w.schedule.em());
  const academic = await s.em.findOneOrFail(AcademicYear, { id: year!.id });
  const subjects = await s.subjects();
  const teacherStaffId = w.maths.teacherStaffId;
  extra.orkse = await s.assignment({
    year: academic,
    classGroupId: w.ids.class5A,
    teacherStaffId,
    subject: subjects['Основы религиозных культур и светской этики']!,
  });
  extra.english = await s.assignment({
    year: academic,
    classGroupId: w.ids.class5A,
    teacherStaffId,
    subject: subjects['Английский язык']!,
    groupName: 'гр. 1',
    studentIds: [student(0), student(1)],
  });
  extra.history = await s.assignment({ year: academic, classGroupId: extra.class6B, teacherStaffId, subject: subjects['История']! });
  extra.pe = await s.assignment({ year: academic, classGroupId: extra.class6B, teacherStaffId, subject: subjects['Физическая культура']! });
  extra.nature = await s.assignment({ year: academic, classGroupId: extra.class1A, teacherStaffId, subject: subjects['Окружающий мир']! });
  await s.weekly(extra.orkse, [{ weekday: 6, period: 3 }]);
  await s.weekly(extra.english, [
    { weekday: 2, period: 3 },
    { weekday: 4, period: 3 },
  ]);
  await s.weekly(
    extra.history,
    [1, 2, 3, 4, 5].map((weekday) => ({ weekday, period: 3 })),
  );
  await s.weekly(extra.pe, [
    { weekday: 1, period: 4 },
    { weekday: 3, period: 4 },
  ]);
  await s.weekly(
    extra.nature,
    [1, 2, 3, 4, 5].map((weekday) => ({ weekday, period: 1 })),
  );
  await s.generate(term.id);
  // A third term that has not started yet.
  await s.term(academic, {
    name: 'Третья четверть',
    kind: 'quarter',
    number: 3,
    startDate: w.dates.shift(w.dates.today, 31),
    endDate: w.dates.shift(w.dates.today, 58),
  });

  await fillTerm();
});
afterAll(async () => {
  await w?.close();
});

/**
 * Known data: 5А — Смирнов does well; Абрамова has a low maths average (2.25);
 * Гусев a 2.00 in Russian that his term grade 4 overrides, and a withdrawn 1;
 * Новикова is ill for nearly every maths lesson and н/а in maths. 6Б — Козлов
 * has 3.00 in history (not below 3) and is exempt from PE. 1А is ungraded.
 */
async function fillTerm(): Promise<void> {
  const maths = await heldLessons(w.maths);
  const russian = await heldLessons(w.russian);
  const english = await heldLessons(extra.english);
  const orkse = await heldLessons(extra.orkse);
  const history = await heldLessons(extra.history);
  const pe = await heldLessons(extra.pe);
  const nature = await heldLessons(extra.nature);
  expect(maths.length).toBeGreaterThan(5);
  expect(Math.min(russian.length, english.length, orkse.length, history.length, pe.length, nature.length)).toBeGreaterThan(1);
  const lesson = (id: number) => w.id('Lesson', id);

  await ok(
    w.gql('s001.teacher', ENTER_MARKS, {
      lesson: lesson(maths[0]!),
      key: key(),
      marks: [
        { studentId: sid(0), value: '5', controlForm: 'TEST' },
        { studentId: sid(1), value: '2', controlForm: 'TEST' },
        { studentId: sid(2), value: '4', controlForm: 'ORAL' },
      ],
    }),
  );
  const second = await ok(
    w.gql('s001.teacher', ENTER_MARKS, {
      lesson: lesson(maths[1]!),
      key: key(),
      marks: [
        { studentId: sid(0), value: '4', controlForm: 'ORAL' },
        { studentId: sid(1), value: '3', controlForm: 'ORAL' },
        { studentId: sid(2), value: '5', controlForm: 'INDEPENDENT' },
        { studentId: sid(2), value: '1', controlForm: 'ORAL' },
      ],
    }),
  );
  // The 1 is withdrawn: it must count nowhere.
  await w.sql(`update journal.mark set status = 'WITHDRAWN' where id = ?`, [localId(second.enterMarks[3].id)]);
  await ok(w.gql('s001.teacher', ENTER_MARKS, { lesson: lesson(maths[2]!), key: key(), marks: [{ studentId: sid(3), value: '4', controlForm: 'ORAL' }] }));
  // Late is not an absence; a withdrawn absence is none.
  await ok(w.gql('s001.teacher', ENTER_ATTENDANCE, { lesson: lesson(maths[0]!), key: key(), entries: [{ studentId: sid(2), code: 'LATE' }] }));
  const withdrawn = await ok(
    w.gql('s001.teacher', ENTER_ATTENDANCE, { lesson: lesson(maths[1]!), key: key(), entries: [{ studentId: sid(1), code: 'ABSENT' }] }),
  );
  await w.sql(`update journal.attendance set status = 'WITHDRAWN' where id = ?`, [localId(withdrawn.enterAttendance[0].id)]);
  await insertAbsences(
    maths.filter((id) => id !== maths[2]),
    student(3),
    'ILL',
  );

  await insertMark(russian[0]!, student(0), '5', 'DICTATION');
  await insertMark(russian[0]!, student(1), '3', 'DICTATION');
  await insertMark(russian[0]!, student(2), '2', 'DICTATION');
  await insertMark(russian[1]!, student(2), '2', 'ORAL');
  await insertMark(russian[1]!, student(3), '4', 'HOMEWORK');

  await ok(
    w.gql('s001.teacher', ENTER_MARKS, {
      lesson: lesson(english[0]!),
      key: key(),
      marks: [
        { studentId: sid(0), value: '5', controlForm: 'ORAL' },
        { studentId: sid(1), value: '4', controlForm: 'CHECK' },
      ],
    }),
  );
  await ok(w.gql('s001.teacher', ENTER_MARKS, { lesson: lesson(orkse[0]!), key: key(), marks: [{ studentId: sid(0), value: 'PASS', controlForm: 'CREDIT' }] }));

  const kozlov = w.ids.stranger;
  await ok(
    w.gql('s001.teacher', ENTER_MARKS, {
      lesson: lesson(history[0]!),
      key: key(),
      marks: [{ studentId: w.id('Student', kozlov), value: '3', controlForm: 'ORAL' }],
    }),
  );
  await ok(
    w.gql('s001.teacher', ENTER_MARKS, {
      lesson: lesson(history[1]!),
      key: key(),
      marks: [{ studentId: w.id('Student', kozlov), value: '3', controlForm: 'TEST' }],
    }),
  );
  await ok(
    w.gql('s001.teacher', ENTER_MARKS, {
      lesson: lesson(pe[0]!),
      key: key(),
      marks: [{ studentId: w.id('Student', kozlov), value: '4', controlForm: 'ORAL' }],
    }),
  );
  await insertAbsences(history.slice(-2), kozlov, 'ABSENT');
  await insertAbsences([history[0]!], kozlov, 'LATE');
  await insertAbsences([nature[0]!], extra.yakovlev, 'EXCUSED');

  // Term grades: they decide for a term period, not for a date range.
  await insertTermGrade(student(0), w.maths.subjectId, '5');
  await insertTermGrade(student(2), w.russian.subjectId, '4');
  await insertTermGrade(student(3), w.maths.subjectId, 'NOT_ASSESSED');
  await insertTermGrade(student(0), extra.orkse.subjectId, 'PASS');
  await insertTermGrade(student(3), extra.orkse.subjectId, 'FAIL');
  await insertTermGrade(kozlov, extra.pe.subjectId, 'EXEMPT');
}

// ---------------------------------------------------------------------------
// The independent recomputation from the raw tables.

/** a/b half up to `places` decimals, exactly (integers in); null when b = 0. */
function ratio(a: number, b: number, places: number): number | null {
  if (b === 0) return null;
  const scale = 10 ** places;
  return Math.floor((2 * a * scale + b) / (2 * b)) / scale;
}

interface RawLesson {
  id: number;
  date: string;
  start: string;
  termId: number;
  assignmentId: number;
  classGroupId: number;
  className: string;
  year: number;
  subjectId: number;
  subject: string;
  groupName: string | null;
  grading: string;
}

async function rawData(period: { from: string; to: string } | { termIds: number[] }) {
  const [settings] = await w.sql<{ timezone: string }>(`select timezone from journal.settings`);
  const lessons = await w.sql<Record<string, any>>(
    `select l.id, l.date::text as date, l.start_time::text as start, l.term_id, l.status, ta.id as assignment_id, ta.class_group_id, ta.subject_id, ta.group_name, ta.graded,
            sub.name as subject, sub.grading as subject_grading, cg.name as class_name, cg.year_of_study,
            ((l.date + l.start_time) at time zone ?) <= now() as started
     from schedule.lesson l join schedule.teaching_assignment ta on ta.id = l.teaching_assignment_id
     join schedule.subject sub on sub.id = ta.subject_id join people.class_group cg on cg.id = ta.class_group_id`,
    [settings!.timezone],
  );
  const inPeriod = (l: Record<string, any>) =>
    'termIds' in period ? period.termIds.includes(Number(l.term_id)) : l.date >= period.from && l.date <= period.to;
  const held: RawLesson[] = lessons
    .filter((l) => l.status === 'SCHEDULED' && l.started && inPeriod(l))
    .map((l) => ({
      id: Number(l.id),
      date: l.date,
      start: l.start,
      termId: Number(l.term_id),
      assignmentId: Number(l.assignment_id),
      classGroupId: Number(l.class_group_id),
      className: l.class_name,
      year: Number(l.year_of_study),
      subjectId: Number(l.subject_id),
      subject: l.subject,
      groupName: l.group_name,
      // Year 1 is ungraded unless the assignment says otherwise.
      grading: l.graded === false ? 'NONE' : l.graded === true ? l.subject_grading : Number(l.year_of_study) === 1 ? 'NONE' : l.subject_grading,
    }));
  const enrollments = await w.sql<{ student_id: number; class_group_id: number; start: string; end: string | null }>(
    `select student_id, class_group_id, start_date::text as start, end_date::text as end from people.enrollment`,
  );
  const members = new Set(
    (await w.sql<{ a: number; s: number }>(`select teaching_assignment_id as a, student_id as s from schedule.assignment_student`)).map((m) => `${m.a}/${m.s}`),
  );
  const takers = new Map<number, number[]>(
    held.map((l) => [
      l.id,
      enrollments
        .filter((e) => Number(e.class_group_id) === l.classGroupId && e.start <= l.date && (e.end === null || e.end >= l.date))
        .map((e) => Number(e.student_id))
        .filter((s) => l.groupName === null || members.has(`${l.assignmentId}/${s}`)),
    ]),
  );
  const heldIds = new Set(held.map((l) => l.id));
  const marks = (
    await w.sql<{ lesson_id: number; student_id: number; value: string; weight: string; status: string }>(
      `select lesson_id, student_id, value, weight::text as weight, status from journal.mark`,
    )
  )
    .filter((m) => heldIds.has(Number(m.lesson_id)))
    .map((m) => ({ lessonId: Number(m.lesson_id), studentId: Number(m.student_id), value: m.value, weight: m.weight, status: m.status }));
  const absent = new Set(
    (await w.sql<{ lesson_id: number; student_id: number; code: string; status: string }>(`select lesson_id, student_id, code, status from journal.attendance`))
      .filter((a) => a.status === 'ACTIVE' && a.code !== 'LATE')
      .map((a) => `${a.lesson_id}/${a.student_id}`),
  );
  const termGrades = new Map(
    'termIds' in period
      ? (
          await w.sql<{ student_id: number; subject_id: number; value: string; term_id: number }>(
            `select term_id, student_id, subject_id, value from journal.term_grade`,
          )
        )
          .filter((g) => period.termIds.includes(Number(g.term_id)))
          .map((g) => [`${g.student_id}/${g.subject_id}`, g.value])
      : [],
  );
  const names = new Map(
    (
      await w.sql<{ id: number; last_name: string; first_name: string; middle_name: string | null }>(
        `select id, last_name, first_name, middle_name from people.student`,
      )
    ).map((s) => [Number(s.id), [s.last_name, s.first_name, s.middle_name].filter(Boolean).join(' ')]),
  );
  return { held, takers, marks, absent, termGrades, names };
}

type Raw = Awaited<ReturnType<typeof rawData>>;
const ORDER = new Intl.Collator('ru', { numeric: true });

function averageOf(raw: Raw, studentId: number, subjectId: number): number | null {
  const lessons = new Set(raw.held.filter((l) => l.subjectId === subjectId).map((l) => l.id));
  return weightedAverage(raw.marks.filter((m) => m.studentId === studentId && lessons.has(m.lessonId)));
}

function resultOf(raw: Raw, studentId: number, subjectId: number): string | null {
  const grade = raw.termGrades.get(`${studentId}/${subjectId}`);
  if (grade !== undefined) return grade === 'EXEMPT' ? null : grade;
  return proposedGrade(averageOf(raw, studentId, subjectId));
}

/** The rows as docs/analytics.md defines them, lesson by lesson. */
function expectedRows(raw: Raw, dims: Dimension[]) {
  const keyOf = (l: RawLesson) => ({
    yearOfStudy: dims.includes('YEAR_OF_STUDY') ? l.year : null,
    classGroupId: dims.includes('CLASS_GROUP') ? l.classGroupId : null,
    classGroup: dims.includes('CLASS_GROUP') ? l.className : null,
    subjectId: dims.includes('SUBJECT') ? l.subjectId : null,
    subject: dims.includes('SUBJECT') ? l.subject : null,
  });
  const numeric = (m: Raw['marks'][number]) => m.status === 'ACTIVE' && ['1', '2', '3', '4', '5'].includes(m.value);
  const keys = new Map<string, ReturnType<typeof keyOf>>();
  // No dimension: exactly one row for the school, whatever the data.
  if (dims.length === 0) keys.set('school', { yearOfStudy: null, classGroupId: null, classGroup: null, subjectId: null, subject: null });
  else
    for (const l of raw.held) {
      if (raw.takers.get(l.id)!.length === 0 && !raw.marks.some((m) => m.lessonId === l.id && numeric(m))) continue;
      const k = keyOf(l);
      keys.set(JSON.stringify(k), k);
    }
  const rows = [...keys.values()].map((k) => {
    const lessons = raw.held.filter(
      (l) =>
        (k.yearOfStudy === null || l.year === k.yearOfStudy) &&
        (k.classGroupId === null || l.classGroupId === k.classGroupId) &&
        (k.subjectId === null || l.subjectId === k.subjectId),
    );
    const ids = new Set(lessons.map((l) => l.id));
    const slots = lessons.flatMap((l) => raw.takers.get(l.id)!.map((s) => ({ lesson: l, student: s, absent: raw.absent.has(`${l.id}/${s}`) })));
    const students = [...new Set(slots.map((s) => s.student))];
    const marks = raw.marks.filter((m) => ids.has(m.lessonId) && numeric(m));
    const weighted = marks.reduce((a, m) => a + Number(m.value) * Math.round(Number(m.weight) * 100), 0);
    const weights = marks.reduce((a, m) => a + Math.round(Number(m.weight) * 100), 0);
    let rated = 0;
    let quality = 0;
    let success = 0;
    let atRisk = 0;
    for (const s of students) {
      const own = slots.filter((x) => x.student === s);
      const gradedSubjects = [...new Set(own.filter((x) => x.lesson.grading !== 'NONE').map((x) => x.lesson.subjectId))];
      const results = gradedSubjects.map((subject) => resultOf(raw, s, subject)).filter((r): r is string => r !== null);
      if (results.length) {
        rated++;
        const failing = results.some((r) => ['1', '2', 'FAIL', 'NOT_ASSESSED'].includes(r));
        if (!failing) success++;
        if (!failing && results.some((r) => r === '4' || r === '5') && results.every((r) => ['4', '5', 'PASS'].includes(r))) quality++;
      }
      const low = [...new Set(own.map((x) => x.lesson.subjectId))].some((subject) => {
        const average = averageOf(raw, s, subject);
        return average !== null && average < 3;
      });
      if (low || own.filter((x) => x.absent).length / own.length >= 0.3) atRisk++;
    }
    const absences = slots.filter((s) => s.absent).length;
    return {
      schoolId: 's001',
      yearOfStudy: k.yearOfStudy,
      classGroup: k.classGroup,
      subject: k.subject,
      students: students.length,
      ratedStudents: rated,
      qualityStudents: quality,
      successStudents: success,
      qualityRate: ratio(quality, rated, 4),
      successRate: ratio(success, rated, 4),
      numericMarks: marks.length,
      weightedMarkSum: weighted / 100,
      weightSum: weights / 100,
      averageMark: ratio(weighted, weights, 2),
      lessonSlots: slots.length,
      absences,
      attendanceRate: ratio(slots.length - absences, slots.length, 4),
      studentsAtRisk: atRisk,
    };
  });
  return rows.sort(
    (a, b) =>
      (a.yearOfStudy ?? 0) - (b.yearOfStudy ?? 0) || ORDER.compare(a.classGroup ?? '', b.classGroup ?? '') || ORDER.compare(a.subject ?? '', b.subject ?? ''),
  );
}

function expectedAtRisk(raw: Raw) {
  const students = [...new Set(raw.held.flatMap((l) => raw.takers.get(l.id)!))];
  const list = [];
  for (const s of students) {
    const lessons = raw.held.filter((l) => raw.takers.get(l.id)!.includes(s));
    const absences = lessons.filter((l) => raw.absent.has(`${l.id}/${s}`)).length;
    const lowSubjects = [...new Map(lessons.map((l) => [l.subjectId, l.subject])).entries()]
      .map(([subjectId, subject]) => ({ subject, average: averageOf(raw, s, subjectId) }))
      .filter((x): x is { subject: string; average: number } => x.average !== null && x.average < 3)
      .sort((a, b) => ORDER.compare(a.subject, b.subject));
    if (lowSubjects.length === 0 && absences / lessons.length < 0.3) continue;
    const last = [...lessons].sort((a, b) => (a.date + a.start < b.date + b.start ? 1 : -1))[0]!;
    list.push({
      studentId: w.id('Student', s),
      fullName: raw.names.get(s)!,
      classGroup: last.className,
      yearOfStudy: last.year,
      lowSubjects,
      absenceShare: ratio(absences, lessons.length, 4),
    });
  }
  return list.sort((a, b) => a.yearOfStudy - b.yearOfStudy || ORDER.compare(a.classGroup, b.classGroup) || ORDER.compare(a.fullName, b.fullName));
}

const GROUPINGS: Dimension[][] = [[], ['CLASS_GROUP'], ['SUBJECT'], ['YEAR_OF_STUDY'], ['YEAR_OF_STUDY', 'CLASS_GROUP', 'SUBJECT']];
const row = (rows: any[], match: Record<string, unknown>) => {
  const found = rows.filter((r) => Object.entries(match).every(([k, v]) => r[k] === v));
  expect(found).toHaveLength(1);
  return found[0];
};

describe('School.progress', () => {
  it('is declared on the federated School as the API says', async () => {
    const sdl = parse((await ok(w.gql('analyst', `{ _service { sdl } }`)))._service.sdl as string);
    const type = (name: string) =>
      sdl.definitions.find((d) => 'name' in d && d.name?.value === name) as ObjectTypeDefinitionNode | EnumTypeDefinitionNode | InputObjectTypeDefinitionNode;
    const fields = (name: string) => Object.fromEntries(((type(name) as ObjectTypeDefinitionNode).fields ?? []).map((f) => [f.name.value, print(f.type)]));
    const progressField = (type('School') as ObjectTypeDefinitionNode).fields!.find((f) => f.name.value === 'progress')!;
    expect(print(progressField.type)).toBe('SchoolProgress');
    expect(progressField.arguments!.map((a) => `${a.name.value}: ${print(a.type)}${a.defaultValue ? ` = ${print(a.defaultValue)}` : ''}`)).toEqual([
      'period: ProgressPeriodInput!',
      'groupBy: [ProgressDimension!]! = []',
    ]);
    expect(((type('ProgressPeriodInput') as InputObjectTypeDefinitionNode).fields ?? []).map((f) => `${f.name.value}: ${print(f.type)}`)).toEqual([
      'from: String',
      'to: String',
      'academicYear: String',
      'termNumber: Int',
    ]);
    expect(((type('ProgressDimension') as EnumTypeDefinitionNode).values ?? []).map((v) => v.name.value)).toEqual(['YEAR_OF_STUDY', 'CLASS_GROUP', 'SUBJECT']);
    expect(fields('SchoolProgress')).toEqual({
      from: 'String!',
      to: 'String!',
      termName: 'String',
      rows: '[ProgressRow!]!',
      studentsAtRisk: '[StudentAtRisk!]!',
    });
    expect(fields('ProgressRow')).toEqual({
      schoolId: 'ID!',
      yearOfStudy: 'Int',
      classGroup: 'String',
      subject: 'String',
      students: 'Int!',
      ratedStudents: 'Int!',
      qualityStudents: 'Int!',
      successStudents: 'Int!',
      qualityRate: 'Float',
      successRate: 'Float',
      numericMarks: 'Int!',
      weightedMarkSum: 'Float!',
      weightSum: 'Float!',
      averageMark: 'Float',
      lessonSlots: 'Int!',
      absences: 'Int!',
      attendanceRate: 'Float',
      studentsAtRisk: 'Int!',
    });
    expect(fields('StudentAtRisk')).toEqual({
      studentId: 'ID!',
      fullName: 'String!',
      classGroup: 'String!',
      yearOfStudy: 'Int!',
      lowSubjects: '[LowSubject!]!',
      absenceShare: 'Float',
    });
    expect(fields('LowSubject')).toEqual({ subject: 'String!', average: 'Float!' });
  });

  it('a date range: every figure of every grouping matches the raw tables (term grades do not count)', async () => {
    const raw = await rawData(range);
    for (const groupBy of GROUPINGS) {
      const got = await progressOf('analyst', range, groupBy);
      expect({ groupBy, from: got.from, to: got.to, termName: got.termName }).toEqual({ groupBy, from: range.from, to: range.to, termName: null });
      expect({ groupBy, rows: got.rows }).toEqual({ groupBy, rows: expectedRows(raw, groupBy) });
    }
    const bySubject = (await progressOf('analyst', range, ['SUBJECT'])).rows;
    // Maths: 5×3 + 4 + 2×3 + 3 + 4 + 5×2 + 4 = 46 over weights 12 (the withdrawn 1 not counted) → 3.83.
    expect(row(bySubject, { subject: 'Математика' })).toMatchObject({
      students: 4,
      numericMarks: 7,
      weightedMarkSum: 46,
      weightSum: 12,
      averageMark: 3.83,
      ratedStudents: 4,
      studentsAtRisk: 2,
    });
    // Russian by the averages: Гусев 2 fails, Абрамова 3 is no quality; Гусев (2.00) is the one at risk in Russian.
    expect(row(bySubject, { subject: 'Русский язык' })).toMatchObject({
      ratedStudents: 4,
      successStudents: 3,
      qualityStudents: 2,
      successRate: 0.75,
      qualityRate: 0.5,
      studentsAtRisk: 1,
    });
    // Pass/fail: no numeric marks, no term grades in a range → nobody rated.
    expect(row(bySubject, { subject: 'Основы религиозных культур и светской этики' })).toMatchObject({
      ratedStudents: 0,
      qualityRate: null,
      successRate: null,
      averageMark: null,
    });
    // The split English group: only its two students.
    expect(row(bySubject, { subject: 'Английский язык' })).toMatchObject({ students: 2 });
    const school = (await progressOf('analyst', range)).rows;
    expect(school).toHaveLength(1);
    // Year 1 is counted as students and in attendance, never rated.
    expect(school[0]).toMatchObject({ students: 6, ratedStudents: 5, successStudents: 3, qualityStudents: 2, studentsAtRisk: 3 });
    const byClass = (await progressOf('analyst', range, ['YEAR_OF_STUDY', 'CLASS_GROUP'])).rows;
    expect(byClass.map((r: any) => [r.yearOfStudy, r.classGroup])).toEqual([
      [1, '1А'],
      [5, '5А'],
      [6, '6Б'],
    ]);
    expect(byClass[0]).toMatchObject({ students: 1, ratedStudents: 0, absences: 1, numericMarks: 0, averageMark: null });
  });

  it('a term: found by academic year and number; its term grades override the proposed grades (н/а, незачёт, осв.)', async () => {
    const period = { academicYear, termNumber: 2 };
    const raw = await rawData({ termIds: [term.id] });
    for (const groupBy of GROUPINGS) {
      const got = await progressOf('analyst', period, groupBy);
      expect({ groupBy, from: got.from, to: got.to, termName: got.termName }).toEqual({ groupBy, from: term.start, to: term.end, termName: term.name });
      expect({ groupBy, rows: got.rows }).toEqual({ groupBy, rows: expectedRows(raw, groupBy) });
    }
    const bySubject = (await progressOf('analyst', period, ['SUBJECT'])).rows;
    // Гусев's term grade 4 replaces the proposed 2: everybody succeeds in Russian now.
    expect(row(bySubject, { subject: 'Русский язык' })).toMatchObject({ ratedStudents: 4, successStudents: 4, qualityStudents: 3, studentsAtRisk: 1 });
    // Зачёт is neither quality nor failure; незачёт fails.
    expect(row(bySubject, { subject: 'Основы религиозных культур и светской этики' })).toMatchObject({
      ratedStudents: 2,
      successStudents: 1,
      qualityStudents: 0,
    });
    // Exempt from PE → not rated in it.
    expect(row(bySubject, { subject: 'Физическая культура' })).toMatchObject({ students: 1, ratedStudents: 0 });
    // Новикова is н/а in maths.
    expect(row(bySubject, { subject: 'Математика' })).toMatchObject({ ratedStudents: 4, successStudents: 2 });
  });

  it('names the students at risk to the school’s deputy and director only', async () => {
    for (const [period, raw] of [
      [range, await rawData(range)],
      [{ academicYear, termNumber: 2 }, await rawData({ termIds: [term.id] })],
    ] as const) {
      for (const user of ['s001.deputy', 's001.director']) {
        const got = await progressOf(user, period, [], true);
        expect(got.studentsAtRisk).toEqual(expectedAtRisk(raw));
      }
    }
    const got = await progressOf('s001.deputy', range, ['CLASS_GROUP'], true);
    expect(got.studentsAtRisk.map((s: any) => s.fullName)).toEqual(['Абрамова Мария', 'Гусев Егор', 'Новикова Полина']);
    expect(got.studentsAtRisk[0]).toMatchObject({ classGroup: '5А', yearOfStudy: 5, lowSubjects: [{ subject: 'Математика', average: 2.25 }] });
    expect(got.studentsAtRisk[1].lowSubjects).toEqual([{ subject: 'Русский язык', average: 2 }]);
    expect(got.studentsAtRisk[2].lowSubjects).toEqual([]);
    expect(got.studentsAtRisk[2].absenceShare).toBeGreaterThanOrEqual(0.3);
    // The rows count the same students.
    expect(row(got.rows, { classGroup: '5А' }).studentsAtRisk).toBe(3);
  });

  it('district roles get aggregates only: no names or student ids anywhere, FORBIDDEN on studentsAtRisk', async () => {
    const names = (
      await w.sql<{ last_name: string; first_name: string; middle_name: string | null }>(`select last_name, first_name, middle_name from people.student`)
    ).flatMap((s) => [s.last_name, s.first_name, `${s.last_name} ${s.first_name}`, [s.last_name, s.first_name, s.middle_name].filter(Boolean).join(' ')]);
    const ids = (await w.sql<{ id: number }>(`select id from people.student`)).map((s) => w.id('Student', Number(s.id)));
    const forbidden = new Set([...names, ...ids]);
    for (const user of ['analyst', 'district.admin']) {
      for (const groupBy of GROUPINGS) {
        const got = await progressOf(user, range, groupBy);
        expect(Object.keys(got).sort()).toEqual(['from', 'rows', 'termName', 'to']);
        expect(got.rows.length).toBeGreaterThan(0);
        for (const r of got.rows) {
          expect(Object.keys(r).sort()).toEqual([...ROW_FIELDS].sort());
          for (const value of Object.values(r)) {
            expect(['string', 'number', 'object']).toContain(typeof value);
            if (typeof value === 'object') expect(value).toBeNull();
            expect(forbidden.has(String(value))).toBe(false);
          }
        }
      }
      const asked = await progress(user, range, [], { withNames: true });
      expect(codes(asked)).toEqual(['FORBIDDEN']);
      expect(asked.errors![0]!.message).toMatch(/заместителю директора и директору/);
      expect(asked.errors![0]!.path).toEqual(['_entities', 0, 'progress', 'studentsAtRisk']);
    }
  });

  it('teachers, students, parents and other schools’ staff are refused; another school’s id answers null', async () => {
    for (const user of ['s001.teacher', 's001.student', 's001.parent', 's002.deputy', 's002.director']) {
      expect({ user, codes: codes(await progress(user, range)) }).toEqual({ user, codes: ['FORBIDDEN'] });
    }
    for (const user of ['analyst', 's001.deputy']) {
      const data = await ok(progress(user, range, [], { school: 's002' }));
      expect(data._entities[0]).toEqual({ id: 's002', progress: null });
    }
  });

  it('refuses bad periods: BAD_USER_INPUT with the field, NOT_FOUND for an unknown term', async () => {
    const today = w.dates.today;
    const shift = w.dates.shift;
    const bad: [Period, string][] = [
      [{ from: '01.11.2026', to: today }, 'from'],
      [{ from: '2026-11-31', to: today }, 'from'],
      [{ from: shift(today, -10), to: '2026/12/01' }, 'to'],
      [{ from: shift(today, -10) }, 'to'],
      [{ from: shift(today, -5), to: shift(today, -6) }, 'to'],
      [{ from: shift(today, -366), to: today }, 'to'],
      [{ from: shift(today, 1), to: shift(today, 5) }, 'from'],
      [{ from: shift(today, -10), to: today, academicYear, termNumber: 2 }, 'period'],
      [{}, 'period'],
      [{ academicYear: '2026-2027', termNumber: 2 }, 'academicYear'],
      [{ academicYear: '2026/2028', termNumber: 2 }, 'academicYear'],
      [{ academicYear, termNumber: 0 }, 'termNumber'],
      [{ academicYear, termNumber: 5 }, 'termNumber'],
      [{ academicYear }, 'termNumber'],
      // The third term has not started.
      [{ academicYear, termNumber: 3 }, 'termNumber'],
    ];
    for (const [period, field] of bad) {
      const answer = await progress('analyst', period);
      expect({ period, codes: codes(answer) }).toEqual({ period, codes: ['BAD_USER_INPUT'] });
      expect({ period, fields: (answer.errors![0]!.extensions!.problems as { field: string }[]).map((p) => p.field) }).toEqual({
        period,
        fields: expect.arrayContaining([field]),
      });
      expect(answer.errors![0]!.message).toMatch(/[а-яё]/i);
    }
    for (const period of [
      { academicYear, termNumber: 4 },
      { academicYear: '2019/2020', termNumber: 1 },
    ]) {
      expect({ period, codes: codes(await progress('analyst', period)) }).toEqual({ period, codes: ['NOT_FOUND'] });
    }
    // The longest range allowed: 366 days, to may be in the future.
    expect((await progressOf('analyst', { from: shift(today, -365), to: today })).from).toBe(shift(today, -365));
    expect((await progressOf('analyst', { from: today, to: shift(today, 30) })).to).toBe(shift(today, 30));
  });

  it('uses a constant number of SQL statements however many marks there are', async () => {
    const measure = async (user: string, withNames: boolean) => {
      w.journal.sql.reset();
      await ok(progress(user, { academicYear, termNumber: 2 }, ['YEAR_OF_STUDY', 'CLASS_GROUP', 'SUBJECT'], { withNames }));
      return w.journal.sql.count;
    };
    const before = { analyst: await measure('analyst', false), deputy: await measure('s001.deputy', true) };
    expect(before).toEqual({ analyst: 2, deputy: 3 });
    // Many more marks: every student, every held lesson of maths and Russian.
    const lessons = [...(await heldLessons(w.maths)), ...(await heldLessons(w.russian))];
    await w.sql(
      `insert into journal.mark (lesson_id, student_id, value, control_form_id, weight, status, lesson_date, entered_by, entered_at, delay_minutes, updated_at)
       select l.id, ls.student_id, (2 + (l.id + ls.student_id) % 4)::text, cf.id, cf.weight, 'ACTIVE', l.date, ?, now(), 0, now()
       from schedule.lesson l join schedule.lesson_students ls on ls.lesson_id = l.id cross join journal.control_form cf
       where l.id in (?) and cf.code = 'ORAL'`,
      [PERSON.teacher, lessons],
    );
    const [{ n }] = (await w.sql<{ n: string }>(`select count(*) as n from journal.mark`)) as [{ n: string }];
    expect(Number(n)).toBeGreaterThan(lessons.length * 3);
    const after = { analyst: await measure('analyst', false), deputy: await measure('s001.deputy', true) };
    expect(after).toEqual(before);
    // And the figures still match.
    const raw = await rawData({ termIds: [term.id] });
    expect((await progressOf('analyst', { academicYear, termNumber: 2 }, ['YEAR_OF_STUDY', 'CLASS_GROUP', 'SUBJECT'])).rows).toEqual(
      expectedRows(raw, ['YEAR_OF_STUDY', 'CLASS_GROUP', 'SUBJECT']),
    );
  });
});
