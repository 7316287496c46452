import { Enrollment, Staff, Student } from '@district/people';
import { AcademicYear, ScheduleSeed } from '@district/schedule';
import { gqlAt, tokenFor } from '@district/kit/testing';
import { codes, PERSON, startJournalWorld, type JournalWorld } from './journal-test-world';

/**
 * Who reads a student's diary (docs/security.md, "Personal data"), as a
 * table: user × relation to the student × way in (the root `diary` field, or
 * `Student.diary` through `_entities` as the gateway asks) → the week, or the
 * refusal. Real Keycloak tokens; teaching comes from real teaching
 * assignments, district access from people's log on the same database.
 *
 * The world: the demo teacher (s001.teacher) leads 5А and teaches its maths;
 * here they also teach English to group 1 of the split 6Б (Козлов, not
 * Лебедева) and lead 7В (Орлов) without teaching it.
 */
let w: JournalWorld;
const students: Record<'petrov' | 'classmate' | 'kozlov' | 'lebedeva' | 'orlov', number> = { petrov: 0, classmate: 0, kozlov: 0, lebedeva: 0, orlov: 0 };
type StudentKey = keyof typeof students;

beforeAll(async () => {
  w = await startJournalWorld();
  const em = w.people.em();
  const teacher = await em.findOneOrFail(Staff, { personId: PERSON.teacher });
  const [class6B] = await w.sql<{ id: number }>(`select id from people.class_group where name = '6Б'`);
  const lebedeva = em.create(Student, { lastName: 'Лебедева', firstName: 'Анна', middleName: null, personId: null, birthDate: '2014-06-06' } as never);
  const orlov = em.create(Student, { lastName: 'Орлов', firstName: 'Максим', middleName: null, personId: null, birthDate: '2013-03-03' } as never);
  await em.flush();
  const [class7V] = await w.sql<{ id: number }>(
    `insert into people.class_group (name, year_of_study, academic_year, class_teacher_id) values ('7В', 7, '2026/2027', ?) returning id`,
    [teacher.id],
  );
  em.create(Enrollment, { studentId: lebedeva.id, classGroupId: class6B!.id, startDate: '2026-09-01', endDate: null } as never);
  em.create(Enrollment, { studentId: orlov.id, classGroupId: class7V!.id, startDate: '2026-09-01', endDate: null } as never);
  await em.flush();

  const seed = new ScheduleSeed(w.schedule.em());
  const year = await w.schedule.em().findOneOrFail(AcademicYear, { id: { $gt: 0 } });
  const subjects = await seed.subjects();
  await seed.assignment({
    year,
    classGroupId: class6B!.id,
    teacherStaffId: teacher.id,
    subject: subjects['Английский язык']!,
    groupName: '1 группа',
    studentIds: [w.ids.stranger],
  });

  Object.assign(students, { petrov: w.ids.petrov, classmate: w.ids.classmates[0]!, kozlov: w.ids.stranger, lebedeva: lebedeva.id, orlov: orlov.id });
});
afterAll(async () => {
  await w?.close();
});

const monday = (iso: string) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
};

type Way = 'diary' | 'entity';
const DIARY = `query($s: ID!, $w: String!) { diary(studentId: $s, weekStart: $w) { weekStart days { lessons { subject } } } }`;
const ENTITY = `query($r: [_Any!]!, $w: String!) { _entities(representations: $r) { ... on Student { diary(weekStart: $w) { weekStart days { lessons { subject } } } } } }`;

type Week = { weekStart: string; days: { lessons: { subject: string }[] }[] };

async function read(user: string, student: StudentKey, way: Way): Promise<{ week: string | null; subjects: string[] | null; codes: string[]; status: number }> {
  const id = w.id('Student', students[student]);
  const answer =
    way === 'diary'
      ? await w.gql(user, DIARY, { s: id, w: w.dates.recent })
      : await w.gql(user, ENTITY, { r: [{ __typename: 'Student', id }], w: w.dates.recent });
  const week = (way === 'diary' ? answer.data?.diary : answer.data?._entities?.[0]?.diary) as Week | null | undefined;
  const subjects = week ? [...new Set(week.days.flatMap((d) => d.lessons.map((l) => l.subject)))].sort() : null;
  return { week: week?.weekStart ?? null, subjects, codes: codes(answer), status: answer.status };
}

/** What each student's diary of the week shows: 5А has maths and Russian every school day; the others have no timetable. */
const SUBJECTS: Record<StudentKey, string[]> = {
  petrov: ['Математика', 'Русский язык'],
  classmate: ['Математика', 'Русский язык'],
  kozlov: [],
  lebedeva: [],
  orlov: [],
};
const allowed = (student: StudentKey) => ({ week: monday(w.dates.recent), subjects: SUBJECTS[student], codes: [], status: 200 });
const refused = { week: null, subjects: null, codes: ['FORBIDDEN'], status: 200 };

type Row = [user: string, relation: string, student: StudentKey, expected: 'allowed' | 'refused'];
const WAYS: Way[] = ['diary', 'entity'];
const table = (rows: Row[]) => rows.flatMap(([user, relation, student, expected]) => WAYS.map((way) => [user, relation, student, way, expected] as const));

describe('who reads a diary (no district access open)', () => {
  it.each(
    table([
      ['s001.director', 'own school', 'lebedeva', 'allowed'],
      ['s001.deputy', 'own school', 'orlov', 'allowed'],
      ['s001.deputy', 'own school', 'classmate', 'allowed'],
      ['s001.teacher', 'class teacher and maths teacher (5А)', 'classmate', 'allowed'],
      ['s001.teacher', 'taught student, split group (6Б English, group 1)', 'kozlov', 'allowed'],
      ['s001.teacher', 'class-teacher’s student, not taught (7В)', 'orlov', 'allowed'],
      ['s001.teacher', 'untaught student (6Б, not in their group)', 'lebedeva', 'refused'],
      ['s001.parent', 'own child', 'petrov', 'allowed'],
      ['s001.parent', 'other child', 'classmate', 'refused'],
      ['s001.student', 'themself', 'petrov', 'allowed'],
      ['s001.student', 'a classmate', 'classmate', 'refused'],
      ['district.admin', 'no open access', 'petrov', 'refused'],
      ['district.admin', 'no open access', 'lebedeva', 'refused'],
      ['analyst', 'district analyst', 'petrov', 'refused'],
    ]),
  )('%s, %s (%s) through %s: %s', async (user, _relation, student, way, expected) => {
    expect(await read(user, student, way)).toEqual(expected === 'allowed' ? allowed(student) : refused);
  });

  it.each(['s002.teacher', 's002.director'])('%s (another school) is refused before any field runs (403)', async (user) => {
    for (const way of WAYS) expect(await read(user, 'petrov', way)).toEqual({ week: null, subjects: null, codes: ['FORBIDDEN'], status: 403 });
  });
});

describe('a district admin with a logged access', () => {
  it('reads the diary of the student they opened, only that one, only while it is open', async () => {
    const opened = await gqlAt(
      w.people.url,
      await tokenFor('district.admin'),
      `mutation($s: ID!) { openPersonalDataAccess(schoolId: "s001", studentId: $s, reason: "Жалоба родителя на выставленные отметки") { open expiresAt } }`,
      { s: w.id('Student', students.classmate) },
    );
    expect(opened.errors).toBeUndefined();
    expect(opened.data!.openPersonalDataAccess.open).toBe(true);
    // An access that ended an hour ago, written straight into people's log.
    await w.sql(
      `insert into people.personal_data_access (student_id, requester_person_id, requester_username, reason, request_id, client, opened_at, expires_at)
       values (?, '00000000-0000-4000-8000-000000090002', 'district.admin', 'Проверка по обращению', 'old', 'jest', now() - interval '2 hours', now() - interval '1 hour')`,
      [students.lebedeva],
    );
    for (const way of WAYS) {
      expect(await read('district.admin', 'classmate', way)).toEqual(allowed('classmate'));
      expect(await read('district.admin', 'petrov', way)).toEqual(refused);
      expect(await read('district.admin', 'lebedeva', way)).toEqual(refused);
      // The admin's access is theirs: the analyst still reads nothing.
      expect(await read('analyst', 'classmate', way)).toEqual(refused);
    }
  });

  it('a refused diary tells the admin how access is opened', async () => {
    const answer = await w.gql('district.admin', DIARY, { s: w.id('Student', students.petrov), w: w.dates.recent });
    expect(answer.errors![0]!.message).toContain('openPersonalDataAccess');
  });
});

describe('cost', () => {
  it('the access check is one statement: a teacher and a district admin read a diary in one statement more than the deputy', async () => {
    const measure = async (user: string) => {
      await w.gql(user, `{ __typename }`);
      w.journal.sql.reset();
      const answer = await w.gql(user, DIARY, { s: w.id('Student', students.classmate), w: w.dates.recent });
      expect(answer.errors).toBeUndefined();
      return w.journal.sql.count;
    };
    const deputy = await measure('s001.deputy');
    expect([await measure('s001.teacher'), await measure('district.admin')]).toEqual([deputy + 1, deputy + 1]);
  });
});
