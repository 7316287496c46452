import { Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '@district/kit';
import type { ControlForm } from '../control-forms/control-form.entity';
import type { EntryStatus, Mark } from './mark.entity';

/** The GraphQL enum of a mark's or an attendance entry's status: the stored strings. */
export const EntryStatusEnum = { ACTIVE: 'ACTIVE', WITHDRAWN: 'WITHDRAWN' } as const satisfies Record<EntryStatus, EntryStatus>;
registerEnumType(EntryStatusEnum, { name: 'EntryStatus', description: 'ACTIVE or WITHDRAWN (withdrawn entries stay in the history)' });

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Lesson', { description: 'A dated lesson, owned by the schedule subgraph' })
export class LessonRef {
  @Field(() => ID) id!: string;
}

@ObjectType('ControlForm', { description: 'Форма контроля with its weight (per school)' })
export class ControlFormType {
  @Field(() => String) code!: string;
  @Field(() => String) name!: string;
  @Field(() => Float) weight!: number;

  static from(form: ControlForm): ControlFormType {
    return Object.assign(new ControlFormType(), { code: form.code, name: form.name, weight: Number(form.weight) });
  }
}

/** Plain data (it is also the stored answer of an idempotent write). */
@ObjectType('Mark', { description: 'Отметка: 1–5 or PASS/FAIL (зачёт/незачёт), with its form of control and weight' })
export class MarkType {
  @Field(() => ID) id!: string;
  @Field(() => String) value!: string;
  @Field(() => ControlFormType) controlForm!: ControlFormType;
  @Field(() => Float) weight!: number;
  @Field(() => String, { nullable: true }) comment?: string | null;
  @Field(() => EntryStatusEnum) status!: EntryStatus;
  @Field(() => String) lessonDate!: string;
  @Field(() => String) enteredAt!: string;
  @Field(() => Int) version!: number;
  @Field(() => ID) lessonId!: string;
  @Field(() => ID) studentId!: string;

  static from(mark: Mark, form: ControlForm, schoolId: string): MarkType {
    return Object.assign(new MarkType(), {
      id: toGlobalId('Mark', schoolId, mark.id),
      value: mark.value,
      controlForm: ControlFormType.from(form),
      weight: Number(mark.weight),
      comment: mark.comment ?? null,
      status: mark.status,
      lessonDate: mark.lessonDate,
      enteredAt: new Date(mark.enteredAt).toISOString(),
      version: mark.version,
      lessonId: toGlobalId('Lesson', schoolId, mark.lessonId),
      studentId: toGlobalId('Student', schoolId, mark.studentId),
    });
  }
}

@InputType()
export class MarkInput {
  @Field(() => ID) studentId!: string;
  @Field(() => String, { description: '1–5, or PASS / FAIL where the subject is graded pass/fail' }) value!: string;
  @Field(() => String, { description: 'Form of control code, e.g. ORAL, HOMEWORK, TEST' }) controlForm!: string;
  @Field(() => String, { nullable: true }) comment?: string | null;
}

@InputType()
export class MarkChangeInput {
  @Field(() => String, { nullable: true }) value?: string | null;
  @Field(() => String, { nullable: true }) controlForm?: string | null;
  @Field(() => String, { nullable: true }) comment?: string | null;
}
