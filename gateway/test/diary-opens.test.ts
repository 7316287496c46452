import { decodeClaims, tokenFor } from '@district/kit/testing';
import { toGlobalId } from '@district/kit';
import type { District } from '@district/demo';
import type { RunningGateway } from '@district/gateway';
import { codes, gql, testDistrict } from './district';
import { startExtraGateway } from './extra-gateway';

let district: District;
/** A gateway whose diary views stay buffered (no timed flush), so each test sees exactly what one request recorded. */
let gateway: RunningGateway;
beforeAll(async () => {
  district = await testDistrict({ schools: ['s001', 's002'], studentsPerClass: 1 });
  gateway = await startExtraGateway(district, { schoolTimeoutMs: 3_000 }, { diaryFlushMs: 3_600_000 });
});
afterAll(async () => {
  await gateway?.close();
  await district?.close({ dropDatabases: true });
});

const WEEK = new Date().toISOString().slice(0, 10);

/** Runs one request as `user` and returns the answer and the diary views it recorded (person, role, school). */
async function opensOf(user: string, query: string, variables: Record<string, unknown> = {}) {
  await gateway.diaryOpens.flush();
  expect(gateway.diaryOpens.pending).toBe(0);
  const token = await tokenFor(user);
  const answer = await gql(gateway.url, token, query, { w: WEEK, ...variables });
  const opens = gateway.diaryOpens.pendingOpens.map(({ personId, role, schoolId }) => ({ personId, role, schoolId }));
  return { answer, opens, personId: decodeClaims(token).person_id as string };
}

async function childOf(user: string): Promise<string[]> {
  const answer = await gql(gateway.url, await tokenFor(user), `{ myChildren { id } }`);
  return (answer.data!.myChildren as { id: string }[]).map((c) => c.id);
}

async function someStudentOf(schoolId: string, except: string[]): Promise<string> {
  const answer = await gql(gateway.url, await tokenFor(`${schoolId}.teacher`), `query($s: ID!) { students(schoolId: $s, limit: 10) { id } }`, { s: schoolId });
  return (answer.data!.students as { id: string }[]).map((s) => s.id).find((id) => !except.includes(id))!;
}

describe('diary views are recorded for diaries actually returned', () => {
  it('a parent naming another school’s student in an unused variable records only their own child’s school', async () => {
    // Variables the operation does not declare are ignored by GraphQL; they named the diaries' schools before.
    const other = toGlobalId('Student', 's002', 1);
    const { answer, opens, personId } = await opensOf('s001.parent', `query($w: String!) { myChildren { diary(weekStart: $w) { weekStart } } }`, { other });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.myChildren).toEqual([{ diary: { weekStart: expect.any(String) } }]);
    expect(opens).toEqual([{ personId, role: 'parent', schoolId: 's001' }]);
  });

  it('a parent naming a student whose diary is refused records nothing', async () => {
    const own = await childOf('s001.parent');
    const stranger = await someStudentOf('s001', own);
    const throughStudent = await opensOf('s001.parent', `query($id: ID!, $w: String!) { student(id: $id) { diary(weekStart: $w) { weekStart } } }`, {
      id: stranger,
    });
    expect(throughStudent.answer.data?.student ?? null).toBeNull();
    expect(codes(throughStudent.answer)).toEqual(['FORBIDDEN']);
    expect(throughStudent.opens).toEqual([]);

    const atRoot = await opensOf('s001.parent', `query($id: ID!, $w: String!) { diary(studentId: $id, weekStart: $w) { weekStart } }`, { id: stranger });
    expect(codes(atRoot.answer)).toEqual(['FORBIDDEN']);
    expect(atRoot.opens).toEqual([]);
  });

  it('parent.multi opening only the s001 child’s diary (s002’s journal down) records s001 only', async () => {
    const s002 = district.schools.get('s002')!;
    await district.registerSchool('s002', { ...s002.urls, journal: 'http://127.0.0.1:1/graphql' });
    await gateway.directory.refresh();
    try {
      const { answer, opens, personId } = await opensOf('parent.multi', `query($w: String!) { myChildren { fullName diary(weekStart: $w) { weekStart } } }`);
      const children = answer.data!.myChildren as { fullName: string; diary: unknown }[];
      expect(children.map((c) => [c.fullName, c.diary === null])).toEqual([
        ['Михайлов Артём Олегович', false],
        ['Михайлова Ева Олеговна', true],
      ]);
      expect(codes(answer)).toContain('SCHOOL_UNAVAILABLE');
      expect(opens).toEqual([{ personId, role: 'parent', schoolId: 's001' }]);
    } finally {
      await district.registerSchool('s002', s002.urls);
      await gateway.directory.refresh();
    }
  });

  it('parent.multi opening both diaries records both schools; the answer has exactly the fields asked for', async () => {
    const { answer, opens, personId } = await opensOf('parent.multi', `query($w: String!) { myChildren { d: diary(weekStart: $w) { weekStart } } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ myChildren: [{ d: { weekStart: expect.any(String) } }, { d: { weekStart: expect.any(String) } }] });
    expect(opens).toEqual([
      { personId, role: 'parent', schoolId: 's001' },
      { personId, role: 'parent', schoolId: 's002' },
    ]);
  });

  it('a diary reached through a fragment is attributed to its student; ids the client asked for are kept', async () => {
    const { answer, opens, personId } = await opensOf(
      'parent.multi',
      `query($id: ID!, $w: String!) { student(id: $id) { ...Week } } fragment Week on Student { id diary(weekStart: $w) { weekStart } }`,
      { id: (await childOf('parent.multi'))[1] },
    );
    expect(answer.errors).toBeUndefined();
    expect(Object.keys(answer.data!.student as object)).toEqual(['id', 'diary']);
    expect(opens).toEqual([{ personId, role: 'parent', schoolId: 's002' }]);
  });

  it('a student reading their own diary at the root records their school', async () => {
    const me = decodeClaims(await tokenFor('s001.student'));
    const [row] = await district.schools
      .get('s001')!
      .em()
      .getConnection()
      .execute<{ id: number }[]>(`select id from people.student where person_id = ?`, [me.person_id]);
    const id = toGlobalId('Student', 's001', row!.id);
    const { answer, opens, personId } = await opensOf('s001.student', `query($id: ID!, $w: String!) { diary(studentId: $id, weekStart: $w) { weekStart } }`, {
      id,
    });
    expect(answer.errors).toBeUndefined();
    expect(opens).toEqual([{ personId, role: 'student', schoolId: 's001' }]);
  });

  it('reading something else records nothing; the views reach monitoring on flush', async () => {
    const { opens } = await opensOf('s001.parent', `{ myChildren { fullName } }`);
    expect(opens).toEqual([]);
    await opensOf('s001.parent', `query($w: String!) { myChildren { diary(weekStart: $w) { weekStart } } }`);
    expect(gateway.diaryOpens.pending).toBe(1);
    await gateway.diaryOpens.flush();
    expect(gateway.diaryOpens.pending).toBe(0);
  });
});
