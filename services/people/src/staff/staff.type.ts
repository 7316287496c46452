import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { toGlobalId } from '@district/kit';
import { PERSON_ID_DESCRIPTION } from '../names';
import type { Staff } from './staff.entity';

@Directive('@key(fields: "id")')
@ObjectType('Staff', { description: 'A member of a school’s staff (teacher, deputy, director, ...)' })
export class StaffType {
  @Field(() => ID) id!: string;
  @Field(() => String) lastName!: string;
  @Field(() => String) firstName!: string;
  @Field(() => String, { nullable: true }) middleName?: string | null;
  @Field(() => String) fullName!: string;
  @Field(() => String, { description: 'Должность, e.g. «учитель математики»' }) position!: string;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => Boolean) active!: boolean;
  @Field(() => String, { nullable: true, description: PERSON_ID_DESCRIPTION }) personId?: string | null;
  @Field(() => Int) version!: number;

  static from(entity: Staff, schoolId: string): StaffType {
    return Object.assign(new StaffType(), {
      id: toGlobalId('Staff', schoolId, entity.id),
      lastName: entity.lastName,
      firstName: entity.firstName,
      middleName: entity.middleName ?? null,
      fullName: [entity.lastName, entity.firstName, entity.middleName].filter(Boolean).join(' '),
      position: entity.position,
      email: entity.email ?? null,
      active: entity.active,
      personId: entity.personId ?? null,
      version: entity.version,
    });
  }
}
