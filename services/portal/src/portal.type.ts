import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

/**
 * The state portal's contract (docs/portal.md): its own types, not the
 * journal's, so the journal's internal schema may change without changing
 * what an outside integrator was certified against.
 */

@ObjectType('PortalChild')
export class PortalChild {
  @Field(() => ID) schoolId!: string;
  @Field(() => String) schoolName!: string;
  @Field(() => String, { description: 'Фамилия Имя Отчество' }) fullName!: string;
  @Field(() => String, { nullable: true }) classGroup?: string | null;
}

@ObjectType('PortalMark')
export class PortalMark {
  @Field(() => String, { description: 'YYYY-MM-DD' }) date!: string;
  @Field(() => String) value!: string;
  @Field(() => String, { description: 'Форма контроля' }) controlForm!: string;
  @Field(() => Float) weight!: number;
  @Field(() => String, { nullable: true }) comment?: string | null;
}

@ObjectType('PortalSubjectProgress')
export class PortalSubjectProgress {
  @Field(() => String) subject!: string;
  @Field(() => [PortalMark]) marks!: PortalMark[];
  @Field(() => Int) marksCount!: number;
  @Field(() => Float, { nullable: true, description: 'Средневзвешенный балл за период, two decimals' }) average?: number | null;
}

@ObjectType('PortalAttendance', { description: 'Lessons held in the period and the attendance marks: Н absent, Б sick, УП excused, ОП late' })
export class PortalAttendance {
  @Field(() => Int) lessons!: number;
  @Field(() => Int) absent!: number;
  @Field(() => Int) sick!: number;
  @Field(() => Int) excused!: number;
  @Field(() => Int) late!: number;
}

@ObjectType('PortalTermGrade')
export class PortalTermGrade {
  @Field(() => String) term!: string;
  @Field(() => String) subject!: string;
  @Field(() => String) grade!: string;
}

@ObjectType('PortalProgress', { description: 'A child’s current progress for a period, as their parent sees it' })
export class PortalProgress {
  @Field(() => String, { description: 'The portal’s reference of this request (X-Request-Id), as logged' }) requestId!: string;
  @Field(() => PortalChild) child!: PortalChild;
  @Field(() => String) from!: string;
  @Field(() => String) to!: string;
  @Field(() => [PortalSubjectProgress]) subjects!: PortalSubjectProgress[];
  @Field(() => PortalAttendance) attendance!: PortalAttendance;
  @Field(() => [PortalTermGrade]) termGrades!: PortalTermGrade[];
}

@ObjectType('PortalDiaryLesson')
export class PortalDiaryLesson {
  @Field(() => Int) period!: number;
  @Field(() => String) startTime!: string;
  @Field(() => String) endTime!: string;
  @Field(() => String) subject!: string;
  @Field(() => Boolean) cancelled!: boolean;
  @Field(() => String, { nullable: true }) topic?: string | null;
  @Field(() => String, { nullable: true }) homework?: string | null;
  @Field(() => [PortalMark]) marks!: PortalMark[];
  @Field(() => String, { nullable: true, description: 'Н, Б, УП or ОП; null when present' }) attendance?: string | null;
}

@ObjectType('PortalDiaryDay')
export class PortalDiaryDay {
  @Field(() => String) date!: string;
  @Field(() => String, { description: 'Пн … Вс' }) weekday!: string;
  @Field(() => [PortalDiaryLesson]) lessons!: PortalDiaryLesson[];
}

@ObjectType('PortalDiarySubject', { description: 'The term so far in a subject: the weighted average and the number of marks' })
export class PortalDiarySubject {
  @Field(() => String) subject!: string;
  @Field(() => Float, { nullable: true }) average?: number | null;
  @Field(() => Int) marksCount!: number;
}

@ObjectType('PortalDiary', { description: 'A child’s diary for a week (from Monday), as their parent sees it' })
export class PortalDiary {
  @Field(() => String) requestId!: string;
  @Field(() => PortalChild) child!: PortalChild;
  @Field(() => String) weekStart!: string;
  @Field(() => String, { nullable: true }) term?: string | null;
  @Field(() => [PortalDiaryDay]) days!: PortalDiaryDay[];
  @Field(() => [PortalDiarySubject]) subjects!: PortalDiarySubject[];
}

@ObjectType('PortalAccess', { description: 'One answer (or refusal) the state portal got about a child: the access log' })
export class PortalAccess {
  @Field(() => ID) id!: string;
  @Field(() => String) at!: string;
  @Field(() => String, { description: 'PROGRESS or DIARY' }) operation!: string;
  @Field(() => String, { description: 'OK or the refusal code' }) outcome!: string;
  @Field(() => String, { description: 'The portal’s reference (X-Request-Id)' }) requestId!: string;
  @Field(() => String, { description: 'The Keycloak account that asked' }) client!: string;
  @Field(() => String, { description: 'The applicant’s identity key (a keyed hash of their SNILS)' }) applicantKey!: string;
  @Field(() => String, { description: 'What was asked for: the period or the week' }) asked!: string;
  @Field(() => String, { nullable: true, description: 'What was returned (JSON: counts of subjects, marks, lessons), null for a refusal' }) returned?:
    string | null;
}
