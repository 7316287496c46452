import { tokenFor } from '@district/kit/testing';
import type { District } from '@district/demo';
import { codes, gql, testDistrict } from './district';

let district: District;
beforeAll(async () => {
  district = await testDistrict();
});
afterAll(async () => {
  await district?.close({ dropDatabases: true });
});

const CLASSES = `query Classes($schoolId: ID!) { classGroups(schoolId: $schoolId) { id name yearOfStudy studentCount students { id fullName } } }`;

describe('school routing through the gateway', () => {
  it('a s001 teacher reads s001 class groups and students', async () => {
    const token = await tokenFor('s001.teacher');
    const answer = await gql(district.gateway.url, token, CLASSES, { schoolId: 's001' });
    expect(answer.errors).toBeUndefined();
    const groups = answer.data!.classGroups as { name: string; studentCount: number; students: unknown[] }[];
    expect(groups).toHaveLength(22);
    expect(groups[0]!.name).toBe('1А');
    const total = groups.reduce((n, g) => n + g.students.length, 0);
    // 22 classes × 3 students, plus the demo student (5А) and parent.multi's child (7Б)
    expect(total).toBe(22 * 3 + 2);
    expect(groups.find((g) => g.name === '5А')!.studentCount).toBe(4);
  });

  it('the same query for s002 is FORBIDDEN and s002 receives no request', async () => {
    const token = await tokenFor('s001.teacher');
    const before = district.schools.get('s002')!.requests();
    const answer = await gql(district.gateway.url, token, CLASSES, { schoolId: 's002' });
    expect(answer.data?.classGroups ?? null).toBeNull();
    expect(codes(answer)).toContain('FORBIDDEN');
    expect(answer.errors![0]!.extensions!.schoolId).toBe('s002');
    expect(district.schools.get('s002')!.requests()).toBe(before);
  });
});

describe('parents across schools', () => {
  it('parent.multi sees exactly their two children, in two schools, in one query', async () => {
    const token = await tokenFor('parent.multi');
    const answer = await gql(district.gateway.url, token, `{ myChildren { id fullName classGroup { name } school { id shortName } } }`);
    expect(answer.errors).toBeUndefined();
    const children = answer.data!.myChildren as { fullName: string; classGroup: { name: string }; school: { id: string; shortName: string } }[];
    expect(children.map((c) => [c.school.id, c.fullName, c.classGroup.name])).toEqual([
      ['s001', 'Михайлов Артём Олегович', '7Б'],
      ['s002', 'Михайлова Ева Олеговна', '3А'],
    ]);
    expect(children[1]!.school.shortName).toBe('Гимназия № 2');
  });

  it('s001.parent reads their own child but not another child by ID', async () => {
    const token = await tokenFor('s001.parent');
    const mine = await gql(district.gateway.url, token, `{ myChildren { id fullName } }`);
    const children = mine.data!.myChildren as { id: string; fullName: string }[];
    expect(children).toHaveLength(1);
    const own = await gql(district.gateway.url, token, `query($id: ID!) { student(id: $id) { fullName } }`, { id: children[0]!.id });
    expect(own.data!.student).toEqual({ fullName: children[0]!.fullName });

    const teacher = await tokenFor('s001.teacher');
    const list = await gql(district.gateway.url, teacher, `{ students(schoolId: "s001", limit: 5) { id } }`);
    const other = (list.data!.students as { id: string }[]).find((s) => s.id !== children[0]!.id)!;
    const answer = await gql(district.gateway.url, token, `query($id: ID!) { student(id: $id) { fullName } }`, { id: other.id });
    expect(answer.data?.student ?? null).toBeNull();
    expect(codes(answer)).toEqual(['FORBIDDEN']);
  });
});
