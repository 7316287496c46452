import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { toGlobalId } from '@district/kit';
import { PERSON_ID_DESCRIPTION } from '../names';
import type { Student } from './student.entity';

@Directive('@key(fields: "id")')
@ObjectType('Student', { description: 'A student (обучающийся) of one school' })
export class StudentType {
  @Field(() => ID) id!: string;
  @Field(() => String) lastName!: string;
  @Field(() => String) firstName!: string;
  @Field(() => String, { nullable: true }) middleName?: string | null;
  @Field(() => String, { description: 'Фамилия Имя Отчество' }) fullName!: string;
  @Field(() => String, { nullable: true, description: PERSON_ID_DESCRIPTION }) personId?: string | null;
  @Field(() => Boolean, { description: 'A SNILS is on record (for the state services portal); the number itself is never stored' }) hasSnils!: boolean;
  /** Personal data: served by StudentResolver.birthDate after the access check. */
  birthDate!: string;
  @Field(() => Int) version!: number;
  localId!: number;

  static from(entity: Student, schoolId: string): StudentType {
    return Object.assign(new StudentType(), {
      id: toGlobalId('Student', schoolId, entity.id),
      localId: entity.id,
      lastName: entity.lastName,
      firstName: entity.firstName,
      middleName: entity.middleName ?? null,
      fullName: [entity.lastName, entity.firstName, entity.middleName].filter(Boolean).join(' '),
      birthDate: entity.birthDate,
      personId: entity.personId ?? null,
      hasSnils: Boolean(entity.identityKey),
      version: entity.version,
    });
  }
}
