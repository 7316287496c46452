import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditLog } from '@district/kit';
import { controlWorkTopic, curriculumFor, hasControlWorks, homeworkChance, homeworkText, lessonTopic, schoolToday } from './curriculum';
import { prng } from './names';

export interface DemoJournalOptions {
  schoolId: string;
  /** Lessons before this date (YYYY-MM-DD; default today in Europe/Moscow) get their journal history. */
  today?: string;
}

/** Who wrote entries of lessons whose teacher has no login (no person_id): the demo loader. */
export const DEMO_LOADER_PERSON_ID = '00000000-0000-4000-8000-00000000fffe';

/** Rows per INSERT statement. */
const BATCH = 1000;

type Code = 'ABSENT' | 'ILL' | 'EXCUSED' | 'LATE';
type Form = 'ORAL' | 'HOMEWORK' | 'INDEPENDENT' | 'CHECK' | 'DICTATION' | 'TEST' | 'CREDIT';

interface LessonRow {
  lesson_id: number;
  date: string;
  period: number;
  start_time: string;
  end_time: string;
  class_group_id: number;
  subject_name: string;
  grading: 'MARKS' | 'PASS_FAIL' | 'NONE';
  teaching_assignment_id: number;
  year_of_study: number;
  author: string | null;
}

/** JSON rows for the INSERTs; short keys keep the statements small. */
interface MarkRow {
  l: number;
  s: number;
  v: string;
  f: Form;
  c: string | null;
  d: string;
  e: string;
  b: string;
  m: number;
  sec: number;
}
interface AttendanceRow {
  l: number;
  s: number;
  k: Code;
  r: string | null;
  d: string;
  e: string;
  b: string;
  m: number;
  sec: number;
}
interface RecordRow {
  l: number;
  d: string;
  e: string;
  t: string;
  h: string | null;
  tm: number;
  ts: number;
  hm: number | null;
  hs: number | null;
  b: string;
}

function sql<T>(em: EntityManager, text: string, params: unknown[] = []): Promise<T[]> {
  return em.getConnection().execute<T[]>(text, params, 'all', em.getTransactionContext());
}

const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const shiftDate = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

function gauss(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const ARTS = new Set(['Физическая культура', 'Музыка', 'ИЗО', 'Технология']);
const FORM_SHIFT: Record<Form, number> = { ORAL: 0.05, HOMEWORK: 0.15, INDEPENDENT: -0.05, CHECK: -0.1, DICTATION: -0.3, TEST: -0.25, CREDIT: 0 };
const EXCUSE_REASONS = ['Заявление родителей', 'Участие в соревнованиях', 'Олимпиада', 'Семейные обстоятельства', 'Медицинский осмотр'];

/**
 * The demo school's journal history up to `today`: for every held lesson a
 * topic (the subject's list, in order) and usually homework; marks for about
 * a quarter of the class per lesson around each student's stable ability,
 * a control work for the whole class about every three weeks; attendance
 * with streaks of illness; every entry signed by the lesson's teacher (or
 * the demo loader) with plausible entry times and delays. One transaction,
 * multi-row INSERTs, and one audit row for the import. Idempotent: a journal
 * that has marks is left alone.
 */
export async function seedDemoJournal(em: EntityManager, options: DemoJournalOptions): Promise<{ marks: number; attendance: number; records: number }> {
  const today = options.today ?? schoolToday();
  const schoolNumber = Number(options.schoolId.replace(/\D/g, '')) || 1;
  return em.transactional(async (txEm) => {
    const tx = txEm as EntityManager;
    await sql(tx, `select pg_advisory_xact_lock(hashtext('journal.demo-history'))`);
    const [existing] = await sql<{ marks: string; attendance: string; records: string }>(
      tx,
      `select (select count(*) from journal.mark) as marks, (select count(*) from journal.attendance) as attendance, (select count(*) from journal.lesson_record) as records`,
    );
    if (Number(existing!.marks) > 0) return { marks: Number(existing!.marks), attendance: Number(existing!.attendance), records: Number(existing!.records) };

    const lessons = await sql<LessonRow>(
      tx,
      `select f.lesson_id, f.date::text as date, f.period, f.start_time::text as start_time, f.end_time::text as end_time, f.class_group_id,
              f.subject_name, f.grading, f.teaching_assignment_id, cg.year_of_study, sf.person_id::text as author
       from schedule.lesson_facts f
       join people.class_group_facts cg on cg.class_group_id = f.class_group_id
       join schedule.term_facts t on t.term_id = f.term_id
       left join people.staff_facts sf on sf.staff_id = coalesce(f.substitute_staff_id, f.teacher_staff_id)
       where f.status = 'SCHEDULED' and f.date < ?::date
         and t.academic_year_id = (select id from schedule.academic_year where start_date <= ?::date order by start_date desc limit 1)
       order by f.date, f.period, f.lesson_id`,
      [today, today],
    );
    if (!lessons.length) return { marks: 0, attendance: 0, records: 0 };
    const first = lessons[0]!.date;
    const taking = await sql<{ lesson_id: number; student_id: number }>(
      tx,
      `select ls.lesson_id, ls.student_id from schedule.lesson_students ls join schedule.lesson l on l.id = ls.lesson_id
       where l.date >= ?::date and l.date < ?::date and l.status = 'SCHEDULED' order by ls.lesson_id, ls.student_id`,
      [first, today],
    );
    const studentsOf = new Map<number, number[]>();
    for (const r of taking) {
      const list = studentsOf.get(Number(r.lesson_id)) ?? [];
      list.push(Number(r.student_id));
      studentsOf.set(Number(r.lesson_id), list);
    }

    // The school day of every class (its last lesson's end) and of every student (their first period, their days).
    const lastEnd = new Map<string, number>();
    const firstPeriod = new Map<string, number>();
    const daysOf = new Map<number, Set<string>>();
    for (const l of lessons) {
      const key = `${l.class_group_id}|${l.date}`;
      lastEnd.set(key, Math.max(lastEnd.get(key) ?? 0, minutes(l.end_time)));
      for (const s of studentsOf.get(l.lesson_id) ?? []) {
        const sk = `${s}|${l.date}`;
        firstPeriod.set(sk, Math.min(firstPeriod.get(sk) ?? 99, l.period));
        let days = daysOf.get(s);
        if (!days) daysOf.set(s, (days = new Set()));
        days.add(l.date);
      }
    }

    // Each student: a stable ability (2.8–4.9, mostly around 4) and their days off: illness in streaks of 2–5 school days, a few excused days.
    // Students the demo logins see (the demo student, the children of demo parents) are steady good students, so the demo diary reads well.
    const showcase = new Set(
      (
        await sql<{ student_id: number }>(
          tx,
          `select student_id from people.student_facts where person_id is not null union select student_id from people.guardianship_facts`,
        )
      ).map((r) => Number(r.student_id)),
    );
    const ability = new Map<number, number>();
    const dayOff = new Map<string, 'ILL' | 'EXCUSED'>();
    const excuseOf = new Map<string, string>();
    for (const [student, days] of [...daysOf].sort((a, b) => a[0] - b[0])) {
      const r = prng(schoolNumber * 100_003 + student * 31 + 7);
      const drawn = Math.min(4.9, Math.max(2.8, 3.95 + 0.5 * gauss(r)));
      ability.set(student, showcase.has(student) ? 4.3 : drawn);
      const frailty = 0.4 + 1.2 * r();
      const dates = [...days].sort();
      for (let i = 0; i < dates.length; i++) {
        const x = r();
        if (x < 0.0075 * frailty) {
          const length = 2 + Math.floor(r() * 4);
          for (let k = 0; k < length && i < dates.length; k++, i++) dayOff.set(`${student}|${dates[i]}`, 'ILL');
          i--;
        } else if (x < 0.0075 * frailty + 0.003) {
          dayOff.set(`${student}|${dates[i]}`, 'EXCUSED');
          excuseOf.set(`${student}|${dates[i]}`, EXCUSE_REASONS[Math.floor(r() * EXCUSE_REASONS.length)]!);
        }
      }
    }
    const subjectShift = (student: number, subject: string) => (prng(hash(`${student}|${subject}`))() - 0.5) * 0.7;

    const random = prng(schoolNumber * 1_000_003 + 17);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const between = (from: number, to: number) => from + Math.floor(random() * Math.max(1, to - from));
    /** A later day for an entry (1–`max` days after the lesson), or null when that would not be before `today`. */
    const laterDay = (date: string, max: number) => {
      const offset = 1 + Math.floor(random() * max);
      return shiftDate(date, offset) < today ? offset : null;
    };
    const marks: MarkRow[] = [];
    const attendance: AttendanceRow[] = [];
    const records: RecordRow[] = [];

    interface Course {
      ordinal: number;
      sinceTest: number;
      tests: number;
      lastTopic: string;
      lastTopicNumber: number;
      hours: number;
    }
    const courses = new Map<number, Course>();

    for (const l of lessons) {
      const year = Number(l.year_of_study);
      const author = l.author ?? DEMO_LOADER_PERSON_ID;
      const start = minutes(l.start_time);
      const end = minutes(l.end_time);
      const classEnd = lastEnd.get(`${l.class_group_id}|${l.date}`)!;
      const students = studentsOf.get(l.lesson_id) ?? [];
      let course = courses.get(l.teaching_assignment_id);
      if (!course) {
        const hours = curriculumFor(year).find((c) => c.subject === l.subject_name)?.hours ?? 2;
        course = { ordinal: 0, sinceTest: -Math.floor(random() * hours), tests: 0, lastTopic: '', lastTopicNumber: 0, hours };
        courses.set(l.teaching_assignment_id, course);
      }
      /** Delay in minutes from the lesson's end to `minuteOfDay` of the lesson's date + `dayOffset`. */
      const delayAt = (dayOffset: number, minuteOfDay: number) => dayOffset * 1440 + minuteOfDay - end;
      const eveningAfter = (from: number) => between(Math.max(from, 15 * 60), 21 * 60 + 30);

      // Topic: the subject's list in order; a control work about every three weeks.
      const testEvery = Math.max(3, Math.round(3 * course.hours));
      const isTest = l.grading === 'MARKS' && hasControlWorks(l.subject_name) && course.ordinal > 0 && ++course.sinceTest >= testEvery;
      let topic: string;
      let testForm: 'TEST' | 'DICTATION' = 'TEST';
      const lessonOrdinal = course.ordinal;
      if (isTest) {
        course.sinceTest = 0;
        const work = controlWorkTopic(l.subject_name, year, course.lastTopic, ++course.tests);
        topic = work.topic;
        testForm = work.form;
      } else {
        const next = lessonTopic(l.subject_name, year, course.hours, course.ordinal++);
        topic = next.topic;
        course.lastTopic = next.base;
        course.lastTopicNumber = next.topicNumber;
      }
      const topicNumber = course.lastTopicNumber;

      // When the topic was entered: mostly during the lesson or just after; some from the plan in the morning; a few the next day.
      const t = random();
      const topicDay = t >= 0.96 ? laterDay(l.date, 1) : null;
      const topicDelay =
        topicDay !== null
          ? delayAt(topicDay, between(9 * 60, 21 * 60))
          : t < 0.08
            ? delayAt(0, between(7 * 60 + 30, start - 5))
            : t < 0.58
              ? -between(1, 45)
              : t < 0.88
                ? between(0, 30)
                : delayAt(0, eveningAfter(classEnd + 30));

      // Homework: mostly by an hour after the class's last lesson, about one in ten the next day.
      let homework: string | null = null;
      let homeworkDelay: number | null = null;
      const homeworkGiven = random() < homeworkChance(l.subject_name, year) * (isTest ? 0.6 : 1);
      if (homeworkGiven) {
        homework =
          isTest && random() < 0.6
            ? pick(['Повторить изученное', 'Работа над ошибками'])
            : homeworkText(l.subject_name, year, topic, topicNumber, lessonOrdinal, random);
        const h = random();
        const homeworkDay = h >= 0.9 ? laterDay(l.date, 1) : null;
        homeworkDelay =
          homeworkDay !== null
            ? delayAt(homeworkDay, between(7 * 60, 22 * 60))
            : h < 0.3
              ? -between(1, 15)
              : h < 0.82
                ? between(0, classEnd - end + 60)
                : delayAt(0, between(classEnd + 60, 22 * 60));
      }
      records.push({
        l: l.lesson_id,
        d: l.date,
        e: l.end_time,
        t: topic,
        h: homework,
        tm: topicDelay,
        ts: between(0, 60),
        hm: homeworkDelay,
        hs: homeworkDelay === null ? null : between(0, 60),
        b: author,
      });

      // Attendance: the day's illness or excuse, else an occasional absence or late arrival; the roll call is taken at the start.
      const present: number[] = [];
      for (const s of students) {
        const off = dayOff.get(`${s}|${l.date}`);
        let code: Code | null = off ?? null;
        let reason: string | null = off === 'EXCUSED' ? excuseOf.get(`${s}|${l.date}`)! : off === 'ILL' && random() < 0.5 ? 'Справка' : null;
        if (!code) {
          const a = random();
          const lateChance = firstPeriod.get(`${s}|${l.date}`) === l.period ? 0.045 : 0.007;
          if (a < 0.007) code = 'ABSENT';
          else if (a < 0.01) {
            code = 'EXCUSED';
            reason = pick(EXCUSE_REASONS);
          } else if (a < 0.01 + lateChance) code = 'LATE';
        }
        if (code !== 'ABSENT' && code !== 'ILL' && code !== 'EXCUSED') present.push(s);
        if (!code) continue;
        const w = random();
        const day = w >= 0.95 ? laterDay(l.date, 2) : null;
        const delay = day !== null ? delayAt(day, between(8 * 60, 20 * 60)) : w < 0.85 ? delayAt(0, start + between(1, 10)) : between(-5, 60);
        attendance.push({ l: l.lesson_id, s, k: code, r: reason, d: l.date, e: l.end_time, b: author, m: delay, sec: between(0, 60) });
      }

      // Marks.
      if (l.grading === 'NONE') continue;
      const markDelay = (test: boolean) => {
        const m = random();
        if (test) {
          const day = m < 0.25 ? laterDay(l.date, 3) : null;
          return day !== null ? delayAt(day, between(15 * 60, 21 * 60 + 30)) : delayAt(0, eveningAfter(classEnd + 10));
        }
        const day = m >= 0.94 ? laterDay(l.date, 2) : null;
        if (day !== null) return delayAt(day, between(16 * 60, 21 * 60 + 30));
        if (m < 0.45) return -between(1, 40);
        if (m < 0.8) return between(0, 90);
        return delayAt(0, eveningAfter(end + 90));
      };
      const value = (s: number, form: Form) => {
        const raw = ability.get(s)! + subjectShift(s, l.subject_name) + (ARTS.has(l.subject_name) ? 0.5 : 0) + FORM_SHIFT[form] + 0.75 * gauss(random);
        return raw >= 4.5 ? '5' : raw >= 3.5 ? '4' : raw >= 2.5 ? '3' : raw >= 1.2 ? '2' : '1';
      };
      const comment = (v: string, form: Form): string | null => {
        if (v === '2' && (form === 'ORAL' || form === 'HOMEWORK') && random() < 0.25)
          return pick(['Не выполнено домашнее задание', 'Не готов к уроку', 'Работа не завершена']);
        if (v === '5' && form === 'ORAL' && random() < 0.03) return pick(['Отличный ответ', 'Молодец!', 'Развёрнутый ответ с примерами']);
        return null;
      };
      const give = (s: number, form: Form, test = false) => {
        const v = l.grading === 'PASS_FAIL' ? (ability.get(s)! < 3.1 && random() < 0.3 ? 'FAIL' : 'PASS') : value(s, form);
        marks.push({
          l: l.lesson_id,
          s,
          v,
          f: form,
          c: l.grading === 'PASS_FAIL' ? null : comment(v, form),
          d: l.date,
          e: l.end_time,
          b: author,
          m: markDelay(test),
          sec: between(0, 60),
        });
      };
      if (isTest) {
        for (const s of present) give(s, testForm, true);
        continue;
      }
      for (const s of present) {
        if (random() >= 0.23) continue;
        if (l.grading === 'PASS_FAIL') {
          give(s, 'CREDIT');
          continue;
        }
        const f = random();
        const form: Form =
          l.subject_name === 'Физическая культура'
            ? f < 0.8
              ? 'ORAL'
              : 'CHECK'
            : f < 0.52
              ? 'ORAL'
              : f < 0.74
                ? 'HOMEWORK'
                : f < 0.89
                  ? 'INDEPENDENT'
                  : f < 0.97 || l.subject_name !== 'Русский язык'
                    ? 'CHECK'
                    : 'DICTATION';
        give(s, form);
        if (random() < 0.06) give(s, form === 'ORAL' ? 'HOMEWORK' : 'ORAL');
      }
    }

    for (let i = 0; i < records.length; i += BATCH) {
      await sql(
        tx,
        `insert into journal.lesson_record (lesson_id, lesson_date, topic, homework, homework_attachments, topic_entered_at, topic_delay_minutes,
                                            homework_entered_at, homework_delay_minutes, updated_by, updated_at, version)
         select x.l, x.d::date, x.t, x.h, '[]'::jsonb, te.at, x.tm, he.at, x.hm, x.b::uuid, greatest(te.at, he.at), 1
         from jsonb_to_recordset(?::jsonb) as x(l int, d text, e text, t text, h text, tm int, ts int, hm int, hs int, b text)
         cross join journal.settings st
         cross join lateral (select ((x.d::date + x.e::time) at time zone st.timezone) + make_interval(mins => x.tm, secs => x.ts) as at) te
         cross join lateral (select case when x.h is null then null
                                         else ((x.d::date + x.e::time) at time zone st.timezone) + make_interval(mins => x.hm, secs => x.hs) end as at) he`,
        [JSON.stringify(records.slice(i, i + BATCH))],
      );
    }
    for (let i = 0; i < attendance.length; i += BATCH) {
      await sql(
        tx,
        `insert into journal.attendance (lesson_id, student_id, code, reason, status, lesson_date, entered_by, entered_at, delay_minutes, updated_at, version)
         select x.l, x.s, x.k, x.r, 'ACTIVE', x.d::date, x.b::uuid, t.at, x.m, t.at, 1
         from jsonb_to_recordset(?::jsonb) as x(l int, s int, k text, r text, d text, e text, b text, m int, sec int)
         cross join journal.settings st
         cross join lateral (select ((x.d::date + x.e::time) at time zone st.timezone) + make_interval(mins => x.m, secs => x.sec) as at) t`,
        [JSON.stringify(attendance.slice(i, i + BATCH))],
      );
    }
    // The weight is the school's current weight of the form of control, copied onto the mark.
    for (let i = 0; i < marks.length; i += BATCH) {
      await sql(
        tx,
        `insert into journal.mark (lesson_id, student_id, value, control_form_id, weight, comment, status, lesson_date, entered_by, entered_at, delay_minutes, updated_at, version)
         select x.l, x.s, x.v, cf.id, cf.weight, x.c, 'ACTIVE', x.d::date, x.b::uuid, t.at, x.m, t.at, 1
         from jsonb_to_recordset(?::jsonb) as x(l int, s int, v text, f text, c text, d text, e text, b text, m int, sec int)
         join journal.control_form cf on cf.code = x.f
         cross join journal.settings st
         cross join lateral (select ((x.d::date + x.e::time) at time zone st.timezone) + make_interval(mins => x.m, secs => x.sec) as at) t`,
        [JSON.stringify(marks.slice(i, i + BATCH))],
      );
    }

    const result = { marks: marks.length, attendance: attendance.length, records: records.length };
    // The history is an initial import: one audit row for it (the app writes one per change from now on).
    await new AuditLog('journal').append(tx, {
      actor: DEMO_LOADER_PERSON_ID,
      actorName: 'demo-loader',
      entity: 'IMPORT',
      entityId: options.schoolId,
      action: 'DEMO_HISTORY',
      old: null,
      new: result,
      reason: `Демонстрационная история журнала за уроки до ${today.split('-').reverse().join('.')}`,
      requestId: `demo-history-${options.schoolId}-${today}`,
      client: 'infra/demo',
    });
    return result;
  });
}
