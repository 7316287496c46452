import { randomUUID } from 'node:crypto';
import { tokenFor } from '@district/kit/testing';
import type { District } from '@district/demo';
import { codes, gql, testDistrict } from './district';

let district: District;
beforeAll(async () => {
  district = await testDistrict({ timetable: true });
});
afterAll(async () => {
  await district?.close({ dropDatabases: true });
});

const iso = (d: Date) => d.toISOString().slice(0, 10);
const daysAgo = (n: number) => iso(new Date(Date.now() - n * 86_400_000));

interface LessonRow {
  id: string;
  date: string;
  subject: { name: string };
  classGroup: { id: string; name: string };
}

/** The teacher's most recent held maths lesson in 5А, looking back up to half a year (holidays, summer). */
async function recentLesson(token: string): Promise<LessonRow> {
  for (let back = 1; back < 200; back += 60) {
    const answer = await gql(
      district.gateway.url,
      token,
      `query($from: String!, $to: String!) { teacherLessons(schoolId: "s001", from: $from, to: $to) { id date subject { name } classGroup { id name } } }`,
      {
        from: daysAgo(back + 59),
        to: daysAgo(back),
      },
    );
    expect(answer.errors).toBeUndefined();
    const lessons = (answer.data!.teacherLessons as LessonRow[]).filter((l) => l.classGroup.name === '5А' && l.subject.name === 'Математика');
    if (lessons.length) return lessons[lessons.length - 1]!;
  }
  throw new Error('the demo teacher has no held maths lesson in 5А');
}

describe('the journal through the gateway', () => {
  it('a teacher enters a whole class’s marks and attendance; the parent sees them in the diary with the weighted average', async () => {
    const teacher = await tokenFor('s001.teacher');
    const lesson = await recentLesson(teacher);
    const roster = await gql(district.gateway.url, teacher, `query($id: ID!) { classGroup(id: $id) { students { id fullName } } }`, {
      id: lesson.classGroup.id,
    });
    const students = roster.data!.classGroup.students as { id: string; fullName: string }[];
    expect(students.length).toBe(4); // 3 generated + the demo student

    const parent = await tokenFor('s001.parent');
    const child = ((await gql(district.gateway.url, parent, `{ myChildren { id fullName } }`)).data!.myChildren as { id: string }[])[0]!;
    expect(students.map((s) => s.id)).toContain(child.id);

    const marks = await gql(
      district.gateway.url,
      teacher,
      `mutation($l: ID!, $m: [MarkInput!]!, $k: String!) { enterMarks(lessonId: $l, marks: $m, idempotencyKey: $k) { id value } }`,
      {
        l: lesson.id,
        k: `e2e-${randomUUID()}`,
        m: students.flatMap((s) =>
          s.id === child.id
            ? [
                { studentId: s.id, value: '5', controlForm: 'ORAL' },
                { studentId: s.id, value: '4', controlForm: 'TEST' },
              ]
            : [{ studentId: s.id, value: '4', controlForm: 'ORAL' }],
        ),
      },
    );
    expect(marks.errors).toBeUndefined();
    expect(marks.data!.enterMarks).toHaveLength(students.length + 1);
    const absent = students.find((s) => s.id !== child.id)!;
    const attendance = await gql(
      district.gateway.url,
      teacher,
      `mutation($l: ID!, $s: ID!, $k: String!) { enterAttendance(lessonId: $l, entries: [{ studentId: $s, code: ABSENT }], idempotencyKey: $k) { letter } }`,
      {
        l: lesson.id,
        s: absent.id,
        k: `e2e-${randomUUID()}`,
      },
    );
    expect(attendance.data!.enterAttendance).toEqual([{ letter: 'Н' }]);

    const diary = await gql(
      district.gateway.url,
      parent,
      `query($w: String!) { myChildren { fullName diary(weekStart: $w) { days { date lessons { subject marks { value controlForm weight } } } subjects { subject average marksCount } } } }`,
      { w: lesson.date },
    );
    expect(diary.errors).toBeUndefined();
    const week = diary.data!.myChildren[0].diary;
    const day = week.days.find((d: { date: string }) => d.date === lesson.date);
    const maths = day.lessons.find((l: { subject: string; marks: unknown[] }) => l.subject === 'Математика' && l.marks.length > 0);
    expect(maths.marks).toEqual([
      { value: '5', controlForm: 'Ответ на уроке', weight: 1 },
      { value: '4', controlForm: 'Контрольная работа', weight: 3 },
    ]);
    // (5×1 + 4×3) / 4 = 4.25
    expect(week.subjects).toEqual([{ subject: 'Математика', average: 4.25, marksCount: 2 }]);
  });

  it('parent.multi reads both children’s diaries, in two schools, in one query', async () => {
    const token = await tokenFor('parent.multi');
    const answer = await gql(
      district.gateway.url,
      token,
      `query($w: String!) { myChildren { fullName school { id } diary(weekStart: $w) { weekStart days { date lessons { subject } } } } }`,
      { w: daysAgo(7) },
    );
    expect(answer.errors).toBeUndefined();
    const children = answer.data!.myChildren as { school: { id: string }; diary: { weekStart: string; days: unknown[] } | null }[];
    expect(children.map((c) => c.school.id)).toEqual(['s001', 's002']);
    for (const c of children) {
      expect(c.diary).not.toBeNull();
      expect(c.diary!.weekStart <= daysAgo(7)).toBe(true);
    }
  });

  it('a teacher of s001 cannot enter marks in s002 (FORBIDDEN; s002 is not called)', async () => {
    const teacher = await tokenFor('s001.teacher');
    const before = district.schools.get('s002')!.requests();
    const answer = await gql(
      district.gateway.url,
      teacher,
      `mutation($l: ID!, $k: String!) { enterMarks(lessonId: $l, marks: [], idempotencyKey: $k) { id } }`,
      {
        l: Buffer.from('Lesson:s002:1').toString('base64url'),
        k: `e2e-${randomUUID()}`,
      },
    );
    expect(codes(answer)).toContain('FORBIDDEN');
    expect(district.schools.get('s002')!.requests()).toBe(before);
  });
});
