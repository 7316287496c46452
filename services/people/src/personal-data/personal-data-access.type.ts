import { Field, ID, ObjectType } from 'type-graphql';
import { toGlobalId } from '@district/kit';

/** One row of people.personal_data_access as SQL returns it. */
export interface PersonalDataAccessRow {
  id: string | number;
  student_id: number;
  requester_person_id: string;
  requester_username: string;
  reason: string;
  request_id: string;
  client: string;
  opened_at: Date | string;
  expires_at: Date | string;
  open: boolean;
}

const iso = (value: Date | string) => new Date(value).toISOString();

@ObjectType('PersonalDataAccess', {
  description: 'A district admin’s logged access to one student’s personal data (who, whom, why, when, until when); the log is append-only',
})
export class PersonalDataAccessType {
  @Field(() => ID) id!: string;
  @Field(() => ID, { description: 'The student whose personal data was opened' }) studentId!: string;
  @Field(() => String, { description: 'person_id of the district admin who opened it' }) requesterPersonId!: string;
  @Field(() => String, { description: 'Their login' }) requesterUsername!: string;
  @Field(() => String, { description: 'Why (at least 10 characters), as given' }) reason!: string;
  @Field(() => String, { description: 'ISO date-time' }) openedAt!: string;
  @Field(() => String, { description: 'ISO date-time; personal data is readable until then' }) expiresAt!: string;
  @Field(() => Boolean, { description: 'Still open now' }) open!: boolean;
  @Field(() => String, { description: 'The request that opened it (x-request-id)' }) requestId!: string;
  @Field(() => String) client!: string;
  studentLocalId!: number;

  static from(row: PersonalDataAccessRow, schoolId: string): PersonalDataAccessType {
    return Object.assign(new PersonalDataAccessType(), {
      id: toGlobalId('PersonalDataAccess', schoolId, String(row.id)),
      studentId: toGlobalId('Student', schoolId, row.student_id),
      studentLocalId: Number(row.student_id),
      requesterPersonId: row.requester_person_id,
      requesterUsername: row.requester_username,
      reason: row.reason,
      openedAt: iso(row.opened_at),
      expiresAt: iso(row.expires_at),
      open: Boolean(row.open),
      requestId: row.request_id,
      client: row.client,
    });
  }
}
