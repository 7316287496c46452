import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '@district/kit';
import { PERSON_ID_DESCRIPTION } from '../names';

export enum PersonKind {
  STAFF = 'STAFF',
  STUDENT = 'STUDENT',
  GUARDIAN = 'GUARDIAN',
}

registerEnumType(PersonKind, { name: 'PersonKind', description: 'STAFF: сотрудник; STUDENT: обучающийся; GUARDIAN: родитель (законный представитель)' });

/** The global id's type of each kind of person. */
export const TYPE_OF_KIND: Record<PersonKind, string> = { STAFF: 'Staff', STUDENT: 'Student', GUARDIAN: 'Guardian' };

/** One person as AccountPersonService's statement returns them. */
export interface AccountPersonRow {
  kind: PersonKind;
  local_id: number;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  email: string | null;
  person_id: string | null;
  active: boolean;
  position: string | null;
  class_group_name: string | null;
}

@ObjectType('AccountPerson', {
  description: 'A person of the school as the identity service sees them: who they are, whether they are current, and their district person id',
})
export class AccountPersonType {
  @Field(() => ID, { description: 'The person’s global id (a Staff, Student or Guardian id)' }) id!: string;
  @Field(() => PersonKind) kind!: PersonKind;
  @Field(() => String) lastName!: string;
  @Field(() => String) firstName!: string;
  @Field(() => String, { nullable: true }) middleName?: string | null;
  @Field(() => String, { description: 'Фамилия Имя Отчество' }) fullName!: string;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true, description: PERSON_ID_DESCRIPTION }) personId?: string | null;
  @Field(() => Boolean, { description: 'Staff: active; student: enrolled now; guardian: has a child enrolled now' }) active!: boolean;
  @Field(() => String, { nullable: true, description: 'Должность (staff only)' }) position?: string | null;
  @Field(() => String, { nullable: true, description: 'The student’s class group now, e.g. «5А» (students only)' }) classGroupName?: string | null;

  static from(row: AccountPersonRow, schoolId: string): AccountPersonType {
    return Object.assign(new AccountPersonType(), {
      id: toGlobalId(TYPE_OF_KIND[row.kind], schoolId, row.local_id),
      kind: row.kind,
      lastName: row.last_name,
      firstName: row.first_name,
      middleName: row.middle_name,
      fullName: [row.last_name, row.first_name, row.middle_name].filter(Boolean).join(' '),
      email: row.email,
      personId: row.person_id,
      active: Boolean(row.active),
      position: row.position,
      classGroupName: row.class_group_name,
    });
  }
}
