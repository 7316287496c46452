import { RunState, toGlobalId } from '@district/kit';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { RosterImportResult, RosterImportRun } from './roster-run';

@ObjectType('RosterImportResult')
export class RosterImportResultType {
  @Field(() => Int) studentsCreated!: number;
  @Field(() => Int) guardiansCreated!: number;
  @Field(() => Int) classGroupsCreated!: number;

  static from(result: RosterImportResult): RosterImportResultType {
    return Object.assign(new RosterImportResultType(), result);
  }
}

@ObjectType('RosterImportProblem', { description: 'A refused line of a roster file' })
export class RosterImportProblemType {
  @Field(() => Int, { nullable: true, description: 'Line of the file (1 is the header)' }) line!: number | null;
  @Field(() => String, { nullable: true }) field!: string | null;
  @Field(() => String) message!: string;
}

@ObjectType('RosterImportRun', { description: 'A roster import started with startRosterImport: followed by query (rosterImportRun) until it has finished' })
export class RosterImportRunType {
  @Field(() => ID) id!: string;
  @Field(() => RunState, { description: 'SUCCEEDED: every row written (see result); FAILED: nothing written (see problems, or error)' }) state!: RunState;
  @Field(() => String, { description: 'Login of who started it' }) requestedBy!: string;
  @Field(() => String, { description: 'ISO time' }) requestedAt!: string;
  @Field(() => String, { nullable: true, description: 'ISO time; null while queued' }) startedAt!: string | null;
  @Field(() => String, { nullable: true, description: 'ISO time; null until it has finished' }) finishedAt!: string | null;
  @Field(() => String) academicYear!: string;
  @Field(() => String, { description: 'Enrollment date, YYYY-MM-DD' }) startDate!: string;
  @Field(() => Int, { nullable: true, description: 'Rows of the file' }) total!: number | null;
  @Field(() => Int, { description: 'Rows written so far (they commit together at the end)' }) processed!: number;
  @Field(() => RosterImportResultType, { nullable: true, description: 'What was created, once SUCCEEDED' }) result!: RosterImportResultType | null;
  @Field(() => [RosterImportProblemType], {
    description: 'Every refused line when the file was refused (FAILED, BAD_USER_INPUT); one bad row refuses the whole file',
  })
  problems!: RosterImportProblemType[];
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => String, { nullable: true, description: 'FAILED only: BAD_USER_INPUT (see problems), INTERRUPTED or INTERNAL_SERVER_ERROR' }) errorCode!:
    string | null;

  static from(run: RosterImportRun, schoolId: string): RosterImportRunType {
    const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
    return Object.assign(new RosterImportRunType(), {
      ...run,
      id: toGlobalId('RosterImportRun', schoolId, run.id),
      requestedAt: iso(run.requestedAt)!,
      startedAt: iso(run.startedAt),
      finishedAt: iso(run.finishedAt),
      result: run.result && RosterImportResultType.from(run.result),
      problems: run.problems.map((p) => Object.assign(new RosterImportProblemType(), { line: p.line ?? null, field: p.field ?? null, message: p.message })),
    });
  }
}
