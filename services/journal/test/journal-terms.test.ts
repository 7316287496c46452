import { randomUUID } from 'node:crypto';
import { tokenFor } from '@district/kit/testing';
import { proposedGrade } from '../src/diary/averages';
import { codes, PERSON, startJournalWorld, type GraphQLAnswer, type JournalWorld } from './journal-test-world';

let w: JournalWorld;
let term: { id: string; local: number };
beforeAll(async () => {
  w = await startJournalWorld();
  const [row] = await w.sql<{ id: number }>(`select id from schedule.term where name = 'Текущая четверть'`);
  term = { id: w.id('Term', row!.id), local: row!.id };
});
afterAll(async () => {
  await w?.close();
});

const key = () => `k-${randomUUID()}`;
const SHEET = `query($t: ID!, $c: ID!, $s: ID!) { termGradeSheet(termId: $t, classGroupId: $c, subjectId: $s) { subject termClosed rows { studentId average proposed marksCount grade { value version } } } }`;
const SET = `mutation($t: ID!, $c: ID!, $s: ID!, $g: [TermGradeInput!]!, $k: String!) { setTermGrades(termId: $t, classGroupId: $c, subjectId: $s, grades: $g, idempotencyKey: $k) { rows { studentId grade { value version } } } }`;

async function scheduleGql(user: string, query: string, variables: Record<string, unknown>): Promise<GraphQLAnswer> {
  const response = await fetch(w.schedule.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(user)}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

describe('term grades and closing a term', () => {
  it('the sheet proposes a grade from each student’s weighted average', async () => {
    const lesson = await w.lesson(w.maths, w.dates.recent);
    const petrov = w.id('Student', w.ids.petrov);
    const entered = await w.gql(
      's001.teacher',
      `mutation($l: ID!, $m: [MarkInput!]!, $k: String!) { enterMarks(lessonId: $l, marks: $m, idempotencyKey: $k) { id } }`,
      {
        l: lesson,
        k: key(),
        m: [
          { studentId: petrov, value: '5', controlForm: 'TEST' },
          { studentId: petrov, value: '4', controlForm: 'ORAL' },
        ],
      },
    );
    expect(entered.errors).toBeUndefined();
    const sheet = await w.gql('s001.teacher', SHEET, { t: term.id, c: w.id('ClassGroup', w.ids.class5A), s: w.id('Subject', w.maths.subjectId) });
    expect(sheet.errors).toBeUndefined();
    expect(sheet.data!.termGradeSheet.subject).toBe('Математика');
    const rows = sheet.data!.termGradeSheet.rows as { studentId: string; average: number | null; proposed: string | null; marksCount: number }[];
    expect(rows).toHaveLength(4);
    // (5×3 + 4×1) / 4 = 4.75 → 5
    expect(rows.find((r) => r.studentId === petrov)).toMatchObject({ average: 4.75, proposed: '5', marksCount: 2 });
    for (const r of rows) expect(r.proposed).toBe(proposedGrade(r.average));
    expect(codes(await w.gql('s001.parent', SHEET, { t: term.id, c: w.id('ClassGroup', w.ids.class5A), s: w.id('Subject', w.maths.subjectId) }))).toEqual([
      'FORBIDDEN',
    ]);
  });

  it('the teacher sets grades (н/а included); bad values and other subjects’ teachers are refused', async () => {
    const [first, second] = w.ids.classmates;
    const vars = (grades: unknown[]) => ({ t: term.id, c: w.id('ClassGroup', w.ids.class5A), s: w.id('Subject', w.maths.subjectId), g: grades, k: key() });
    const bad = await w.gql('s001.teacher', SET, vars([{ studentId: w.id('Student', first!), value: '6' }]));
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    const russian = await w.gql('s001.teacher', SET, {
      ...vars([{ studentId: w.id('Student', first!), value: '4' }]),
      s: w.id('Subject', w.russian.subjectId),
    });
    expect(codes(russian)).toEqual(['FORBIDDEN']);
    const set = await w.gql(
      's001.teacher',
      SET,
      vars([
        { studentId: w.id('Student', w.ids.petrov), value: '5' },
        { studentId: w.id('Student', first!), value: '4' },
        { studentId: w.id('Student', second!), value: 'NOT_ASSESSED' },
      ]),
    );
    expect(set.errors).toBeUndefined();
    const graded = (set.data!.setTermGrades.rows as { grade: { value: string } | null }[])
      .filter((r) => r.grade)
      .map((r) => r.grade!.value)
      .sort();
    expect(graded).toEqual(['4', '5', 'NOT_ASSESSED']);
    const stale = await w.gql('s001.teacher', SET, vars([{ studentId: w.id('Student', first!), value: '5' }]));
    expect(codes(stale)).toEqual(['CONFLICT']);
  });

  it('the term cannot close while a student lacks a grade; once complete it closes and locks the term', async () => {
    const CLOSE = `mutation($id: ID!, $v: Int!) { closeTerm(id: $id, version: $v) { closed version } }`;
    const version = async () =>
      (await scheduleGql('s001.deputy', `query($id: ID!) { term(id: $id) { version } }`, { id: term.id })).data!.term.version as number;
    const refused = await scheduleGql('s001.deputy', CLOSE, { id: term.id, v: await version() });
    expect(codes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0]!.message).toMatch(/четвертные/);
    // 1 maths student + 4 Russian students lack a grade.
    expect(refused.errors![0]!.extensions!.missing).toBe(5);

    const last = w.ids.classmates[2]!;
    const done = await w.gql('s001.teacher', SET, {
      t: term.id,
      c: w.id('ClassGroup', w.ids.class5A),
      s: w.id('Subject', w.maths.subjectId),
      g: [{ studentId: w.id('Student', last), value: '3' }],
      k: key(),
    });
    expect(done.errors).toBeUndefined();
    // Russian is another teacher's (no login in this world): their grades straight into the table.
    await w.sql(
      `insert into journal.term_grade (term_id, student_id, subject_id, value, set_by, set_at) select ?, s, ?, '4', ?, now() from unnest(?::int[]) s`,
      [term.local, w.russian.subjectId, PERSON.teacher, `{${[w.ids.petrov, ...w.ids.classmates].join(',')}}`],
    );
    const closed = await scheduleGql('s001.deputy', CLOSE, { id: term.id, v: await version() });
    expect(closed.errors).toBeUndefined();
    expect(closed.data!.closeTerm.closed).toBe(true);

    const locked = await w.gql('s001.teacher', SET, {
      t: term.id,
      c: w.id('ClassGroup', w.ids.class5A),
      s: w.id('Subject', w.maths.subjectId),
      g: [{ studentId: w.id('Student', last), value: '4', version: 1 }],
      k: key(),
    });
    expect(codes(locked)).toEqual(['TERM_CLOSED']);
  });

  it('the year sheet shows the term grades and proposes the year grade; the teacher sets it', async () => {
    const [year] = await w.sql<{ id: number }>(`select academic_year_id as id from schedule.term where id = ?`, [term.local]);
    const vars = { y: w.id('AcademicYear', year!.id), c: w.id('ClassGroup', w.ids.class5A), s: w.id('Subject', w.maths.subjectId) };
    const SHEET_Y = `query($y: ID!, $c: ID!, $s: ID!) { yearGradeSheet(academicYearId: $y, classGroupId: $c, subjectId: $s) { subject rows { studentId termGrades { term value } proposed grade { value version } } } }`;
    const sheet = await w.gql('s001.teacher', SHEET_Y, vars);
    expect(sheet.errors).toBeUndefined();
    const petrov = w.id('Student', w.ids.petrov);
    expect(sheet.data!.yearGradeSheet.rows.find((r: { studentId: string }) => r.studentId === petrov)).toEqual({
      studentId: petrov,
      termGrades: [{ term: 'Текущая четверть', value: '5' }],
      proposed: '5',
      grade: null,
    });
    const notAssessed = w.id('Student', w.ids.classmates[1]!);
    expect(sheet.data!.yearGradeSheet.rows.find((r: { studentId: string }) => r.studentId === notAssessed).proposed).toBeNull();
    const SET_Y = `mutation($y: ID!, $c: ID!, $s: ID!, $g: [TermGradeInput!]!, $k: String!) { setYearGrades(academicYearId: $y, classGroupId: $c, subjectId: $s, grades: $g, idempotencyKey: $k) { rows { studentId grade { value version } } } }`;
    const set = await w.gql('s001.teacher', SET_Y, { ...vars, g: [{ studentId: petrov, value: '5' }], k: key() });
    expect(set.data!.setYearGrades.rows.find((r: { studentId: string }) => r.studentId === petrov).grade).toEqual({ value: '5', version: 1 });
    expect(codes(await w.gql('s001.parent', SET_Y, { ...vars, g: [{ studentId: petrov, value: '2' }], k: key() }))).toEqual(['FORBIDDEN']);
    const [audited] = await w.sql<{ n: string }>(`select count(*)::text as n from journal.audit where entity = 'YEAR_GRADE'`);
    expect(audited!.n).toBe('1');
  });

  it('in a closed term only the director may correct an entry, and only with a reason', async () => {
    const [mark] = await w.sql<{ id: number; version: number }>(
      `select id, version from journal.mark where student_id = ? and status = 'ACTIVE' order by id limit 1`,
      [w.ids.petrov],
    );
    const EDIT = `mutation($id: ID!, $v: Int!, $r: String, $k: String!) { editMark(id: $id, version: $v, change: { value: "4" }, reason: $r, idempotencyKey: $k) { applied mark { value } } }`;
    const id = w.id('Mark', mark!.id);
    expect(codes(await w.gql('s001.teacher', EDIT, { id, v: mark!.version, r: 'опечатка в отметке', k: key() }))).toEqual(['TERM_CLOSED']);
    expect(codes(await w.gql('s001.director', EDIT, { id, v: mark!.version, k: key() }))).toEqual(['TERM_CLOSED']);
    const fixed = await w.gql('s001.director', EDIT, { id, v: mark!.version, r: 'решение педсовета от 28.11', k: key() });
    expect(fixed.data!.editMark).toEqual({ applied: true, mark: { value: '4' } });
    const history = await w.gql('s001.deputy', `query($id: ID!) { entryHistory(id: $id) { action actor reason } }`, { id });
    expect(history.data!.entryHistory.at(-1)).toEqual({ action: 'EDIT', actor: 's001.director', reason: 'решение педсовета от 28.11' });
  });
});
