import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { toGlobalId } from '@district/kit';
import { PERSON_ID_DESCRIPTION } from '../names';
import type { Guardian } from './guardian.entity';

@Directive('@key(fields: "id")')
@ObjectType('Guardian', { description: 'A parent or legal representative (законный представитель) of students of one school' })
export class GuardianType {
  @Field(() => ID) id!: string;
  @Field(() => String) lastName!: string;
  @Field(() => String) firstName!: string;
  @Field(() => String, { nullable: true }) middleName?: string | null;
  @Field(() => String) fullName!: string;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true, description: PERSON_ID_DESCRIPTION }) personId?: string | null;
  @Field(() => Boolean, { description: 'A SNILS is on record (for the state services portal); the number itself is never stored' }) hasSnils!: boolean;
  @Field(() => Int) version!: number;
  localId!: number;

  static from(entity: Guardian, schoolId: string): GuardianType {
    return Object.assign(new GuardianType(), {
      id: toGlobalId('Guardian', schoolId, entity.id),
      localId: entity.id,
      lastName: entity.lastName,
      firstName: entity.firstName,
      middleName: entity.middleName ?? null,
      fullName: [entity.lastName, entity.firstName, entity.middleName].filter(Boolean).join(' '),
      phone: entity.phone ?? null,
      email: entity.email ?? null,
      personId: entity.personId ?? null,
      hasSnils: Boolean(entity.identityKey),
      version: entity.version,
    });
  }
}

@ObjectType('GuardianLink', { description: 'A guardian of a student, with the relation' })
export class GuardianLinkType {
  @Field(() => GuardianType) guardian!: GuardianType;
  @Field(() => String, { description: 'mother | father | guardian | other' }) relation!: string;
}
