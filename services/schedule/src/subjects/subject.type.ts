import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '@district/kit';
import type { Subject } from './subject.entity';

export enum GradingEnum {
  MARKS = 'MARKS',
  PASS_FAIL = 'PASS_FAIL',
  NONE = 'NONE',
}
registerEnumType(GradingEnum, { name: 'Grading', description: 'MARKS: отметки 1–5; PASS_FAIL: зачёт / незачёт; NONE: безотметочное' });

@Directive('@key(fields: "id")')
@ObjectType('Subject', { description: 'A school subject, e.g. «Математика»' })
export class SubjectType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) shortName!: string;
  @Field(() => GradingEnum, { description: 'How the subject is graded (a year-1 class is ungraded whatever this says)' }) grading!: GradingEnum;
  @Field(() => Int) version!: number;

  static from(entity: Subject, schoolId: string): SubjectType {
    return Object.assign(new SubjectType(), {
      id: toGlobalId('Subject', schoolId, entity.id),
      name: entity.name,
      shortName: entity.shortName,
      grading: entity.grading as GradingEnum,
      version: entity.version,
    });
  }
}
