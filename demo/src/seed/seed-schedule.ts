import type { EntityManager } from '@mikro-orm/postgresql';
import { AcademicYear, AssignmentStudent, ScheduleSeed, TeachingAssignment, TimetableEntry } from '@district/schedule';
import { DEMO_TEACHER_CLASSES, MATHS_POSITION, PRIMARY_POSITION, academicYearOf, curriculumFor, positionFor, schoolToday } from './curriculum';
import { prng } from './names';
import { realmUsers } from './seed-people';

export interface DemoScheduleOptions {
  schoolId: string;
  /** The academic year seeded is the one containing this date (YYYY-MM-DD; default today in Europe/Moscow). */
  today?: string;
}

/** Days of the demo week (Пн–Пт) and the last period a class may have. */
export const DEMO_DAYS = 5;
export const LAST_PERIOD = { primary: 5, senior: 7 } as const;

const GROUPS = ['гр. 1', 'гр. 2'] as const;

/** A raw statement inside the EntityManager's transaction (if any). */
function sql<T>(em: EntityManager, text: string, params: unknown[] = []): Promise<T[]> {
  return em.getConnection().execute<T[]>(text, params, 'all', em.getTransactionContext());
}

async function counts(em: EntityManager): Promise<{ lessons: number; assignments: number }> {
  const [row] = await sql<{ lessons: string; assignments: string }>(
    em,
    `select (select count(*) from schedule.lesson) as lessons, (select count(*) from schedule.teaching_assignment) as assignments`,
  );
  return { lessons: Number(row!.lessons), assignments: Number(row!.assignments) };
}

interface ClassInfo {
  id: number;
  name: string;
  year: number;
  classTeacherId: number | null;
  /** Enrolled students in alphabetical order (the English groups split it in halves). */
  students: number[];
  lastPeriod: number;
  /** Lessons per weekday (index 1..5). */
  target: number[];
}

interface Teacher {
  id: number;
  position: string;
  room: string;
  load: number;
}

/** One teacher's part of a unit: the whole class, or one group of a split class. */
interface Part {
  teacher: Teacher;
  group: string | null;
  students: number[];
}

/** A subject of a class with its weekly lessons; a split subject has two parts taught in the same slots. */
interface Unit {
  cls: ClassInfo;
  subject: string;
  hours: number;
  parts: Part[];
}

interface Placement {
  unit: Unit;
  weekday: number;
  period: number;
}

/**
 * A year's schedule for the demo school: the academic year containing
 * `today` with its quarters and holidays, the standard bells and subjects,
 * teaching assignments for every class from the curriculum (teachers by
 * their position; the demo teacher takes maths in 5А, 5Б, 6А, 6Б), a weekly
 * timetable without clashes, and every term's dated lessons. Idempotent:
 * a school that already has an academic year is left alone.
 */
export async function seedDemoSchedule(em: EntityManager, options: DemoScheduleOptions): Promise<{ lessons: number; assignments: number }> {
  if ((await em.count(AcademicYear, {})) > 0) return counts(em);
  const schoolYear = academicYearOf(options.today ?? schoolToday());
  return em.transactional(async (txEm) => {
    const tx = txEm as EntityManager;
    const seed = new ScheduleSeed(tx);
    const year = await seed.standardYear(schoolYear.name);
    await seed.standardBells();
    const subjects = await seed.subjects();

    const classes = await readClasses(tx, schoolYear.name, schoolYear.startDate);
    const teachers = await readTeachers(tx, classes);
    if (!classes.length || !teachers.all.length) return counts(tx);
    const units = assignTeachers(classes, teachers, demoTeacherPersonId(options.schoolId));
    const placements = buildTimetable(classes, units, Number(options.schoolId.replace(/\D/g, '')) || 1);

    // Assignments (one per class × subject × group), then their groups' students and weekly slots: two batched flushes.
    const assignmentOf = new Map<Part, TeachingAssignment>();
    for (const unit of units) {
      const subject = subjects[unit.subject];
      if (!subject) throw new Error(`subject ${unit.subject} missing from the standard list`);
      for (const part of unit.parts) {
        assignmentOf.set(
          part,
          tx.create(TeachingAssignment, {
            academicYearId: year.year.id,
            classGroupId: unit.cls.id,
            teacherStaffId: part.teacher.id,
            subjectId: subject.id,
            groupName: part.group,
            graded: null,
          }),
        );
      }
    }
    await tx.flush();
    for (const [part, assignment] of assignmentOf) {
      if (part.group) for (const studentId of part.students) tx.create(AssignmentStudent, { teachingAssignmentId: assignment.id, studentId });
    }
    for (const { unit, weekday, period } of placements) {
      for (const part of unit.parts) {
        tx.create(TimetableEntry, {
          teachingAssignmentId: assignmentOf.get(part)!.id,
          weekday,
          period,
          shift: 1,
          room: part.teacher.room,
          validFrom: year.year.startDate,
          validTo: null,
        });
      }
    }
    await tx.flush();
    for (const term of year.terms) await seed.generate(term);
    return counts(tx);
  });
}

function demoTeacherPersonId(schoolId: string): string | null {
  return realmUsers().get(`${schoolId}.teacher`)?.attributes?.person_id?.[0] ?? null;
}

async function readClasses(em: EntityManager, academicYear: string, yearStart: string): Promise<ClassInfo[]> {
  let rows = await sql<{ class_group_id: number; name: string; year_of_study: number; class_teacher_id: number | null }>(
    em,
    `select class_group_id, name, year_of_study, class_teacher_id from people.class_group_facts where academic_year = ? order by year_of_study, name`,
    [academicYear],
  );
  // A roster seeded for another year label still gets a timetable.
  if (!rows.length)
    rows = await sql(em, `select class_group_id, name, year_of_study, class_teacher_id from people.class_group_facts order by year_of_study, name`);
  const enrolled = await sql<{ class_group_id: number; student_id: number }>(
    em,
    `select e.class_group_id, e.student_id
     from people.enrollment_facts e join people.student_facts s on s.student_id = e.student_id
     where e.end_date is null or e.end_date >= ?
     order by s.last_name, s.first_name, s.middle_name nulls first, s.student_id`,
    [yearStart],
  );
  const students = new Map<number, number[]>();
  for (const r of enrolled) {
    const list = students.get(Number(r.class_group_id)) ?? [];
    list.push(Number(r.student_id));
    students.set(Number(r.class_group_id), list);
  }
  return rows.map((r) => {
    const yearOfStudy = Number(r.year_of_study);
    const hours = curriculumFor(yearOfStudy).reduce((sum, l) => sum + l.hours, 0);
    // Longer days in the middle of the week (Вт, Ср, Чт), then Пн.
    const target = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < hours; i++) target[[2, 3, 4, 1, 5][i % DEMO_DAYS]!]!++;
    return {
      id: Number(r.class_group_id),
      name: r.name,
      year: yearOfStudy,
      classTeacherId: r.class_teacher_id === null ? null : Number(r.class_teacher_id),
      students: [...new Set(students.get(Number(r.class_group_id)) ?? [])],
      lastPeriod: yearOfStudy <= 4 ? LAST_PERIOD.primary : LAST_PERIOD.senior,
      target,
    };
  });
}

const ROOMS: Record<string, (i: number) => string> = {
  'учитель русского языка и литературы': (i) => String(201 + i),
  'учитель английского языка': (i) => String(211 + i),
  'учитель истории и обществознания': (i) => String(221 + i),
  'учитель географии': (i) => String(226 + i),
  'учитель ОБЗР': (i) => String(229 + i),
  [MATHS_POSITION]: (i) => String(301 + i),
  'учитель физики': (i) => String(311 + i),
  'учитель химии': (i) => String(315 + i),
  'учитель биологии': (i) => String(318 + i),
  'учитель информатики': (i) => String(321 + i),
  'учитель физической культуры': (i) => ['Спортзал', 'Малый спортзал'][i] ?? `Спортзал ${i + 1}`,
  'учитель музыки': (i) => String(115 + i),
  'учитель изобразительного искусства': (i) => String(118 + i),
  'учитель технологии': (i) => (i === 0 ? 'Мастерская' : `Мастерская ${i + 1}`),
};

/** Teachers by position, each with a room of their own (a primary teacher's is their class's room), so rooms never clash. */
async function readTeachers(
  em: EntityManager,
  classes: ClassInfo[],
): Promise<{ all: Teacher[]; byPosition: Map<string, Teacher[]>; byId: Map<number, Teacher>; byPerson: Map<string, Teacher> }> {
  // The demo loader reads the position, which people publishes in no view.
  const rows = await sql<{ id: number; person_id: string | null; position: string }>(
    em,
    `select id, person_id, position from people.staff where active and position like 'учитель%' order by id`,
  );
  const taken = new Set<string>();
  const indexInPosition = new Map<string, number>();
  const homeRoom = new Map<number, string>();
  classes.filter((c) => c.year <= 4).forEach((c, i) => c.classTeacherId !== null && homeRoom.set(c.classTeacherId, String(101 + i)));
  let spare = 401;
  const all: Teacher[] = [];
  const byPosition = new Map<string, Teacher[]>();
  const byPerson = new Map<string, Teacher>();
  for (const r of rows) {
    const id = Number(r.id);
    const i = indexInPosition.get(r.position) ?? 0;
    indexInPosition.set(r.position, i + 1);
    let room = r.position === PRIMARY_POSITION ? homeRoom.get(id) : ROOMS[r.position]?.(i);
    if (!room || taken.has(room)) room = `Каб. ${spare++}`;
    taken.add(room);
    const teacher: Teacher = { id, position: r.position, room, load: 0 };
    all.push(teacher);
    byPosition.set(r.position, [...(byPosition.get(r.position) ?? []), teacher]);
    if (r.person_id) byPerson.set(r.person_id, teacher);
  }
  return { all, byPosition, byId: new Map(all.map((t) => [t.id, t])), byPerson };
}

/**
 * Who teaches what: a primary class's own teacher takes everything but
 * English, PE and music; the demo teacher takes maths in 5А, 5Б, 6А, 6Б;
 * the rest goes by position, a class's subjects of one position to one
 * teacher (Русский язык with Литература, Алгебра with Геометрия), largest
 * bundles first to the least-loaded teacher. English in years 5–11 is
 * split into two groups (alphabetical halves) with two different teachers.
 */
function assignTeachers(classes: ClassInfo[], teachers: Awaited<ReturnType<typeof readTeachers>>, demoPersonId: string | null): Unit[] {
  const demo = demoPersonId ? teachers.byPerson.get(demoPersonId) : undefined;
  const pool = (position: string) => {
    const list = (teachers.byPosition.get(position) ?? []).filter((t) => t !== demo);
    return list.length ? list : teachers.all.filter((t) => t !== demo);
  };
  const leastLoaded = (list: Teacher[], except?: Teacher) => {
    const candidates = list.length > 1 && except ? list.filter((t) => t !== except) : list;
    return candidates.reduce((best, t) => (t.load < best.load ? t : best));
  };

  const units: Unit[] = [];
  const bundles = new Map<string, { cls: ClassInfo; position: string; group: number | null; units: { unit: Unit; part: number }[]; hours: number }>();
  const primaryOf = new Map<number, Teacher>();
  for (const cls of classes) {
    for (const line of curriculumFor(cls.year)) {
      const position = positionFor(line.subject, cls.year);
      // Two groups need two teachers in the same slot.
      const split = Boolean(line.split) && cls.students.length >= 2 && (teachers.byPosition.get(position) ?? []).filter((t) => t !== demo).length >= 2;
      const half = Math.ceil(cls.students.length / 2);
      const unit: Unit = { cls, subject: line.subject, hours: line.hours, parts: [] };
      units.push(unit);
      if (demo && line.subject === 'Математика' && DEMO_TEACHER_CLASSES.includes(cls.name)) {
        unit.parts.push({ teacher: demo, group: null, students: [] });
        demo.load += line.hours;
        continue;
      }
      if (position === PRIMARY_POSITION) {
        let teacher = primaryOf.get(cls.id);
        if (!teacher) {
          const own = cls.classTeacherId === null ? undefined : teachers.byId.get(cls.classTeacherId);
          teacher = own && own.position === PRIMARY_POSITION ? own : leastLoaded(pool(PRIMARY_POSITION));
          primaryOf.set(cls.id, teacher);
        }
        unit.parts.push({ teacher, group: null, students: [] });
        teacher.load += line.hours;
        continue;
      }
      const groups = split ? [0, 1] : [null];
      for (const g of groups) {
        const key = `${cls.id}|${position}|${g ?? ''}`;
        const bundle = bundles.get(key) ?? { cls, position, group: g, units: [], hours: 0 };
        bundle.units.push({ unit, part: g ?? 0 });
        bundle.hours += line.hours;
        bundles.set(key, bundle);
        unit.parts.push({
          teacher: undefined as unknown as Teacher, // chosen below, bundle by bundle
          group: g === null ? null : GROUPS[g]!,
          students: g === null ? [] : g === 0 ? cls.students.slice(0, half) : cls.students.slice(half),
        });
      }
    }
  }
  const ordered = [...bundles.values()].sort((a, b) => b.hours - a.hours || classes.indexOf(a.cls) - classes.indexOf(b.cls) || (a.group ?? 0) - (b.group ?? 0));
  const chosen = new Map<string, Teacher>();
  for (const bundle of ordered) {
    const sibling = bundle.group === null ? undefined : chosen.get(`${bundle.cls.id}|${bundle.position}|${1 - bundle.group}`);
    const teacher = leastLoaded(pool(bundle.position), sibling);
    chosen.set(`${bundle.cls.id}|${bundle.position}|${bundle.group ?? ''}`, teacher);
    teacher.load += bundle.hours;
    for (const { unit, part } of bundle.units) unit.parts[part]!.teacher = teacher;
  }
  return units;
}

const HEAVY = new Set(['Математика', 'Алгебра', 'Геометрия', 'Русский язык', 'Физика', 'Химия', 'Английский язык']);
const LIGHT = new Set(['Физическая культура', 'Музыка', 'ИЗО', 'Технология', 'ОБЗР', 'Основы религиозных культур и светской этики']);

/**
 * A weekly timetable, Пн–Пт, built greedily slot by slot (every class's
 * period 1 on Monday, then period 2, …) so teachers' free slots are shared
 * fairly: no class, teacher or room (a teacher's own) twice in one slot, a
 * subject at most once a day (twice when it has more than 5 a week),
 * primary classes in periods 1–5. What the first pass cannot place goes
 * to any free slot; the best of a few deterministic attempts is kept.
 */
function buildTimetable(classes: ClassInfo[], units: Unit[], seed: number): Placement[] {
  let best: { placements: Placement[]; missing: number; gaps: number } | undefined;
  for (let attempt = 0; attempt < 25; attempt++) {
    const result = attemptTimetable(classes, units, prng(seed * 104729 + attempt * 7919 + 1));
    if (!best || result.missing < best.missing || (result.missing === best.missing && result.gaps < best.gaps)) best = result;
    if (best.missing === 0 && best.gaps === 0) break;
  }
  return best!.placements;
}

function attemptTimetable(classes: ClassInfo[], units: Unit[], random: () => number): { placements: Placement[]; missing: number; gaps: number } {
  const P = LAST_PERIOD.senior;
  const slotOf = (d: number, p: number) => (d - 1) * P + (p - 1);
  const slots = DEMO_DAYS * P;
  const classBusy = new Map<ClassInfo, Uint8Array>(classes.map((c) => [c, new Uint8Array(slots)]));
  const teacherBusy = new Map<Teacher, Uint8Array>();
  const busyOf = (t: Teacher) => {
    let b = teacherBusy.get(t);
    if (!b) teacherBusy.set(t, (b = new Uint8Array(slots)));
    return b;
  };
  const remaining = new Map<Unit, number>(units.map((u) => [u, u.hours]));
  const teacherLeft = new Map<Teacher, number>();
  for (const u of units) for (const part of u.parts) teacherLeft.set(part.teacher, (teacherLeft.get(part.teacher) ?? 0) + u.hours);
  const perDay = new Map<string, number>();
  const unitIndex = new Map<Unit, number>(units.map((u, i) => [u, i]));
  const dayCount = (u: Unit, d: number) => perDay.get(`${unitIndex.get(u)}|${d}`) ?? 0;
  const cap = (u: Unit) => (u.hours > DEMO_DAYS ? 2 : 1);
  const unitsOf = new Map<ClassInfo, Unit[]>(classes.map((c) => [c, units.filter((u) => u.cls === c)]));
  const placedOnDay = new Map<ClassInfo, number[]>(classes.map((c) => [c, [0, 0, 0, 0, 0, 0]]));
  const placements: Placement[] = [];

  const free = (u: Unit, s: number) => !classBusy.get(u.cls)![s] && u.parts.every((part) => !busyOf(part.teacher)[s]);
  const place = (u: Unit, d: number, p: number) => {
    const s = slotOf(d, p);
    classBusy.get(u.cls)![s] = 1;
    for (const part of u.parts) {
      busyOf(part.teacher)[s] = 1;
      teacherLeft.set(part.teacher, teacherLeft.get(part.teacher)! - 1);
    }
    remaining.set(u, remaining.get(u)! - 1);
    perDay.set(`${unitIndex.get(u)}|${d}`, dayCount(u, d) + 1);
    placedOnDay.get(u.cls)![d]!++;
    placements.push({ unit: u, weekday: d, period: p });
  };

  // Pass 1: slot by slot, every class that still wants a lesson that day takes the most pressing unit that fits.
  for (let d = 1; d <= DEMO_DAYS; d++) {
    for (let p = 1; p <= P; p++) {
      const s = slotOf(d, p);
      const order = shuffle(classes, random);
      for (const cls of order) {
        if (p > cls.lastPeriod || placedOnDay.get(cls)![d]! >= cls.target[d]!) continue;
        let chosen: Unit | undefined;
        let bestScore = -Infinity;
        for (const u of unitsOf.get(cls)!) {
          const left = remaining.get(u)!;
          if (!left || dayCount(u, d) >= cap(u) || !free(u, s)) continue;
          const urgency = left / (DEMO_DAYS - d + 1);
          const pressure = Math.max(...u.parts.map((part) => teacherLeft.get(part.teacher)! / (slots - s)));
          const fit = HEAVY.has(u.subject) ? (p <= 4 ? 0.3 : -0.3) : LIGHT.has(u.subject) ? (p >= 3 ? 0.2 : -0.2) : 0;
          const score = 2 * urgency + 3 * pressure + 0.5 * fit + 0.3 * random();
          if (score > bestScore) {
            bestScore = score;
            chosen = u;
          }
        }
        if (chosen) place(chosen, d, p);
      }
    }
  }

  // Pass 2: whatever is left, into the free slot that makes the fewest gaps.
  let missing = 0;
  for (const u of units) {
    while (remaining.get(u)! > 0) {
      let bestSlot: [number, number] | undefined;
      let bestCost = Infinity;
      for (let d = 1; d <= DEMO_DAYS; d++) {
        const busy = classBusy.get(u.cls)!;
        const taken = [];
        for (let p = 1; p <= u.cls.lastPeriod; p++) if (busy[slotOf(d, p)]) taken.push(p);
        for (let p = 1; p <= u.cls.lastPeriod; p++) {
          if (!free(u, slotOf(d, p))) continue;
          const adjacent = taken.length === 0 ? p === 1 : p === taken[taken.length - 1]! + 1 || p === taken[0]! - 1;
          const cost = (dayCount(u, d) >= cap(u) ? 10 : 0) + (adjacent ? 0 : 3) + taken.length * 0.5 + random() * 0.1;
          if (cost < bestCost) {
            bestCost = cost;
            bestSlot = [d, p];
          }
        }
      }
      if (!bestSlot) {
        missing += remaining.get(u)!;
        break;
      }
      place(u, bestSlot[0], bestSlot[1]);
    }
  }

  let gaps = 0;
  for (const cls of classes) {
    const busy = classBusy.get(cls)!;
    for (let d = 1; d <= DEMO_DAYS; d++) {
      const taken = [];
      for (let p = 1; p <= P; p++) if (busy[slotOf(d, p)]) taken.push(p);
      if (taken.length) gaps += taken[taken.length - 1]! - taken[0]! + 1 - taken.length + (taken[0]! - 1);
    }
  }
  return { placements, missing, gaps };
}

function shuffle<T>(list: readonly T[], random: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
