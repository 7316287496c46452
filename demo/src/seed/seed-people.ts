import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { PeopleSeed, Student, type Guardian, type Staff } from '@district/people';
import { findRepoRoot } from '@district/infra';
import { demoIdentityKey, demoSnils, PARENT_MULTI_PERSON_ID, ROLE_CODES, schoolNumber } from './demo-users';
import { MATHS_POSITION, PRIMARY_POSITION, academicYearOf, schoolToday, subjectStaffing } from './curriculum';
import { FATHER_NAMES, FEMALE_NAMES, MALE_NAMES, SURNAMES, femaleSurname, patronymic, prng } from './names';

interface RealmUser {
  username: string;
  firstName?: string;
  lastName?: string;
  attributes?: { person_id?: string[] };
}

/** Demo users as the demo realm overlay declares them: one source for names and person ids. */
export function realmUsers(): Map<string, RealmUser> {
  const realm = JSON.parse(readFileSync(join(findRepoRoot(), 'infra', 'keycloak', 'realm-district.demo.json'), 'utf8')) as { users: RealmUser[] };
  return new Map(realm.users.map((u) => [u.username, u]));
}

export interface DemoSchoolOptions {
  schoolId: string;
  studentsPerClass: number;
  letters?: string[];
  /** The school year is the one containing this date (YYYY-MM-DD; default today in Europe/Moscow). */
  today?: string;
}

/**
 * Fills one school with a plausible roster: staff, class groups 1–11 (А, Б),
 * students with a parent each, and the demo users' own records (their
 * person_id links the Keycloak login to the school's data).
 *
 * Staff: the director and deputy, the demo teacher (`sNNN.teacher`, a maths
 * teacher, no class of his own), a primary-class teacher per class of years
 * 1–4 (its class teacher), and enough subject teachers for years 5–11 that
 * nobody teaches much more than ~24 lessons a week (see curriculum.ts);
 * subject teachers are the class teachers of years 5–11.
 */
export async function seedDemoPeople(em: EntityManager, options: DemoSchoolOptions): Promise<{ students: number }> {
  if ((await em.count(Student, {})) > 0) return { students: await em.count(Student, {}) };
  const users = realmUsers();
  const random = prng(Number(options.schoolId.slice(1)) * 7919);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const person = (username: string) => {
    const u = users.get(username);
    if (!u) throw new Error(`demo user ${username} missing from the realm file`);
    return { lastName: u.lastName ?? username, firstName: u.firstName ?? username, personId: u.attributes?.person_id?.[0] ?? null };
  };
  const schoolYear = academicYearOf(options.today ?? schoolToday());
  const seed = new PeopleSeed(em, schoolYear.name, schoolYear.startDate);
  const s = options.schoolId;
  const letters = options.letters ?? ['А', 'Б'];
  const generatedTeacher = (position: string, femaleShare = 0.75) => {
    const female = random() < femaleShare;
    const surname = pick(SURNAMES);
    return seed.staff({
      lastName: female ? femaleSurname(surname) : surname,
      firstName: pick(female ? FEMALE_NAMES : MALE_NAMES),
      middleName: patronymic(pick(FATHER_NAMES), female),
      position,
    });
  };

  // Schools beyond the demo three have no demo logins; their people are all generated.
  const hasLogins = users.has(`${s}.director`);
  let demoTeacher: Staff | undefined;
  if (hasLogins) {
    seed.staff({ ...person(`${s}.director`), position: 'директор' });
    seed.staff({ ...person(`${s}.deputy`), position: 'заместитель директора по учебной работе' });
    demoTeacher = seed.staff({ ...person(`${s}.teacher`), position: MATHS_POSITION });
  }
  const primaryTeachers = new Map<string, Staff>();
  for (let year = 1; year <= 4; year++) for (const letter of letters) primaryTeachers.set(`${year}${letter}`, generatedTeacher(PRIMARY_POSITION, 0.95));
  const subjectTeachers: Staff[] = [];
  for (const { position, count } of subjectStaffing(letters, hasLogins)) {
    for (let i = 0; i < count; i++)
      subjectTeachers.push(generatedTeacher(position, position === 'учитель физической культуры' || position === 'учитель ОБЗР' ? 0.4 : 0.8));
  }

  let classTeacherIndex = 0;
  const groups = new Map<string, ReturnType<PeopleSeed['classGroup']>>();
  for (let year = 1; year <= 11; year++) {
    for (const letter of letters) {
      const name = `${year}${letter}`;
      const assigned = primaryTeachers.get(name) ?? subjectTeachers[classTeacherIndex++ % subjectTeachers.length];
      // The demo teacher (maths) is also 5А's class teacher: the demo shows классное руководство.
      const group = seed.classGroup(name, name === '5А' && demoTeacher ? demoTeacher : assigned);
      groups.set(name, group);
      const birthYear = schoolYear.startYear - 6 - year;
      for (let i = 0; i < options.studentsPerClass; i++) {
        const female = random() < 0.5;
        const surname = pick(SURNAMES);
        const father = pick(FATHER_NAMES);
        const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
        const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
        group
          .student({
            lastName: female ? femaleSurname(surname) : surname,
            firstName: pick(female ? FEMALE_NAMES : MALE_NAMES),
            middleName: patronymic(father, female),
            birthDate: `${birthYear}-${month}-${day}`,
          })
          .guardian(
            {
              lastName: femaleSurname(surname),
              firstName: pick(FEMALE_NAMES),
              middleName: patronymic(pick(FATHER_NAMES), true),
              phone: `+7 900 ${String(Math.floor(random() * 1e7)).padStart(7, '0')}`,
            },
            'mother',
          );
      }
    }
  }

  // The demo student and parent logins of this school.
  if (hasLogins) {
    const student = person(`${s}.student`);
    groups
      .get('5А')!
      .student({ ...student, middleName: null, birthDate: '2015-03-14', identityKey: demoIdentityKey(demoSnils(schoolNumber(s), ROLE_CODES.student)) })
      .guardian({ ...person(`${s}.parent`), phone: '+7 900 000 00 01', identityKey: demoIdentityKey(demoSnils(schoolNumber(s), ROLE_CODES.parent)) }, 'mother');
  }

  // parent.multi has a child in s001 and one in s002.
  const multi = person('parent.multi');
  if (multi.personId !== PARENT_MULTI_PERSON_ID) throw new Error('parent.multi person_id differs from the realm file');
  const multiKey = (child = 0) => demoIdentityKey(demoSnils(900, child ? ROLE_CODES.student : ROLE_CODES.parent, child));
  const multiGuardian: Guardian | undefined =
    s === 's001' || s === 's002' ? seed.guardian({ ...multi, phone: '+7 900 000 00 09', identityKey: multiKey() }) : undefined;
  if (s === 's001')
    groups
      .get('7Б')!
      .student({ lastName: 'Михайлов', firstName: 'Артём', middleName: 'Олегович', birthDate: '2013-05-20', identityKey: multiKey(1) })
      .guardian(multiGuardian!, 'mother');
  if (s === 's002')
    groups
      .get('3А')!
      .student({ lastName: 'Михайлова', firstName: 'Ева', middleName: 'Олеговна', birthDate: '2017-11-02', identityKey: multiKey(2) })
      .guardian(multiGuardian!, 'mother');

  await seed.flush();
  return { students: await em.count(Student, {}) };
}
