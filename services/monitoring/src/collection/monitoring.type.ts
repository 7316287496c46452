import { RunState } from '@district/kit';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SchoolStatusEnum } from '../registry/school.type';
import { collectionRunId, type CollectionRun, type CollectionTrigger } from './collection-run';
import { FIGURES, type Figures } from './figures';
import type { MonthlyReport, ReportChange, SchoolMonthLine } from './report';

/** The GraphQL enum of what started a collection: the stored strings. */
export const CollectionTriggerEnum = { SCHEDULE: 'SCHEDULE', MANUAL: 'MANUAL' } as const satisfies Record<CollectionTrigger, CollectionTrigger>;
registerEnumType(CollectionTriggerEnum, { name: 'CollectionTrigger', description: 'SCHEDULE (nightly) or MANUAL (a district admin)' });

export enum CollectionStateEnum {
  CURRENT = 'CURRENT',
  STALE = 'STALE',
  NOT_COLLECTED = 'NOT_COLLECTED',
}
registerEnumType(CollectionStateEnum, {
  name: 'CollectionState',
  description:
    'CURRENT: collected by the last run; STALE: the last run could not reach the school (figures are the last good ones, if any); NOT_COLLECTED: never collected (e.g. a school not started)',
});

/** The stored figures of one school and month; fields are generated from FIGURES (one list for query, type, diff and export). */
@ObjectType('CollectedFigures', { description: 'A school’s monthly monitoring figures as the district stored them. Definitions: docs/monitoring.md' })
export class CollectedFiguresType {
  [key: string]: number | null;

  static from(figures: Figures): CollectedFiguresType {
    return Object.assign(new CollectedFiguresType(), figures);
  }
}
for (const f of FIGURES) {
  Field(() => (f.type === 'integer' ? Int : Float), { nullable: true, description: f.description ?? f.header })(CollectedFiguresType.prototype, f.key);
}

@ObjectType('SchoolMonitoring', { description: 'One school’s line of the district monitoring for a month' })
export class SchoolMonitoringType {
  @Field(() => ID) schoolId!: string;
  @Field(() => String) shortName!: string;
  @Field(() => SchoolStatusEnum, { description: 'live / pilot / not started, from the registry' }) schoolStatus!: SchoolStatusEnum;
  @Field(() => CollectionStateEnum) state!: CollectionStateEnum;
  @Field(() => String, { nullable: true, description: 'ISO time the figures were collected (the last good collection when stale)' }) collectedAt!:
    string | null;
  @Field(() => String, { nullable: true }) lastAttemptAt!: string | null;
  @Field(() => String, { nullable: true, description: 'Why the last collection failed (stale only)' }) lastError!: string | null;
  @Field(() => CollectedFiguresType, { nullable: true }) figures!: CollectedFiguresType | null;

  static from(line: SchoolMonthLine): SchoolMonitoringType {
    return Object.assign(new SchoolMonitoringType(), {
      ...line,
      schoolStatus: line.schoolStatus as SchoolStatusEnum,
      state: line.state as CollectionStateEnum,
      lastError: line.state === 'STALE' ? line.lastError : null,
      figures: line.figures && CollectedFiguresType.from(line.figures),
    });
  }
}

@ObjectType('ReportChange', { description: 'A difference from the previous version of a monthly report' })
export class ReportChangeType {
  @Field(() => ID) schoolId!: string;
  @Field(() => String, { description: 'schoolStatus, state or a figure field name' }) field!: string;
  @Field(() => String, { nullable: true }) before!: string | null;
  @Field(() => String, { nullable: true }) after!: string | null;

  static from(c: ReportChange): ReportChangeType {
    const text = (v: string | number | null) => (v === null ? null : String(v));
    return Object.assign(new ReportChangeType(), { schoolId: c.schoolId, field: c.field, before: text(c.before), after: text(c.after) });
  }
}

@ObjectType('MonthlyReport', { description: 'The closed monthly report of the district’s operational monitoring: stored, versioned, never changed in place' })
export class MonthlyReportType {
  @Field(() => String) month!: string;
  @Field(() => Int) version!: number;
  @Field(() => String) closedAt!: string;
  @Field(() => [SchoolMonitoringType]) schools!: SchoolMonitoringType[];
  @Field(() => [ReportChangeType], { description: 'What changed against the previous version (empty for version 1)' }) changes!: ReportChangeType[];

  static from(r: MonthlyReport, visible: (schoolId: string) => boolean): MonthlyReportType {
    return Object.assign(new MonthlyReportType(), {
      month: r.month,
      version: r.version,
      closedAt: r.closedAt,
      schools: r.schools.filter((s) => visible(s.schoolId)).map(SchoolMonitoringType.from),
      changes: r.changes.filter((c) => visible(c.schoolId)).map(ReportChangeType.from),
    });
  }
}

@ObjectType('SchoolCollectionOutcome')
export class SchoolCollectionOutcomeType {
  @Field(() => ID) schoolId!: string;
  @Field(() => CollectionStateEnum) state!: CollectionStateEnum;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => Int, { description: '2 when the school was asked again in the same run after a failure' }) attempts!: number;
}

@ObjectType('MonitoringCollectionRun', {
  description: 'One collection of a month’s figures from every school: started at once, followed by query (monitoringCollectionRun) until it has finished',
})
export class MonitoringCollectionRunType {
  @Field(() => ID) id!: string;
  @Field(() => RunState, {
    description:
      'SUCCEEDED: every school answered; PARTIAL: some did not (see schools), their figures are kept and marked stale; FAILED: nothing recorded (see error)',
  })
  state!: RunState;
  @Field(() => String) month!: string;
  @Field(() => CollectionTriggerEnum) trigger!: CollectionTrigger;
  @Field(() => String, { description: 'Login of the admin, or "schedule"' }) requestedBy!: string;
  @Field(() => String, { description: 'ISO time' }) requestedAt!: string;
  @Field(() => String, { nullable: true, description: 'ISO time; null while queued' }) startedAt!: string | null;
  @Field(() => String, { nullable: true, description: 'ISO time; null until the run has finished' }) finishedAt!: string | null;
  @Field(() => Int, { nullable: true, description: 'Schools to ask (null until the run has started)' }) total!: number | null;
  @Field(() => Int, { description: 'Schools whose answer (or final failure) is in' }) processed!: number;
  @Field(() => [SchoolCollectionOutcomeType], { description: 'Per school, once the run has finished (empty before, and when it failed)' })
  schools!: SchoolCollectionOutcomeType[];
  @Field(() => Int, { nullable: true, description: 'The report version this run closed or added; null when the month is not over or nothing changed' })
  reportVersion!: number | null;
  @Field(() => String, { nullable: true, description: 'FAILED: why (INTERRUPTED when the service stopped under it); PARTIAL: which schools did not answer' })
  error!: string | null;
  @Field(() => String, { nullable: true, description: 'FAILED only: INTERRUPTED, INTERNAL_SERVER_ERROR or a domain code' }) errorCode!: string | null;

  static from(run: CollectionRun): MonitoringCollectionRunType {
    const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
    return Object.assign(new MonitoringCollectionRunType(), {
      id: collectionRunId(run.id),
      state: run.state,
      month: run.month,
      trigger: run.trigger,
      requestedBy: run.requestedBy,
      requestedAt: iso(run.requestedAt)!,
      startedAt: iso(run.startedAt),
      finishedAt: iso(run.finishedAt),
      total: run.total,
      processed: run.processed,
      schools: run.outcomes.map((o) => Object.assign(new SchoolCollectionOutcomeType(), o)),
      reportVersion: run.reportVersion,
      error: run.error,
      errorCode: run.errorCode,
    });
  }
}

@InputType('DiaryOpenInput', { description: 'A diary view the gateway saw: the pseudonymous person id, the role, the school of the diary, when' })
export class DiaryOpenInput {
  @Field(() => String) personId!: string;
  @Field(() => String, { description: 'student or parent' }) role!: string;
  @Field(() => ID) schoolId!: string;
  @Field(() => String, { description: 'ISO time of the view' }) openedAt!: string;
}
