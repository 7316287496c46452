import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { toGlobalId } from '@district/kit';

/*
 * Entities the people subgraph owns. Schedule only hands out references to
 * them (`{ id }`); the gateway asks people for every other field, so these
 * keys are not resolvable here.
 */

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('ClassGroup')
export class ClassGroupRef {
  @Field(() => ID) id!: string;

  static of(schoolId: string, classGroupId: number): ClassGroupRef {
    return Object.assign(new ClassGroupRef(), { id: toGlobalId('ClassGroup', schoolId, classGroupId) });
  }
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Staff')
export class StaffRef {
  @Field(() => ID) id!: string;

  static of(schoolId: string, staffId: number): StaffRef {
    return Object.assign(new StaffRef(), { id: toGlobalId('Staff', schoolId, staffId) });
  }
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Student')
export class StudentRef {
  @Field(() => ID) id!: string;

  static of(schoolId: string, studentId: number): StudentRef {
    return Object.assign(new StudentRef(), { id: toGlobalId('Student', schoolId, studentId) });
  }
}
