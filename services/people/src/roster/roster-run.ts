import { noticeLog, RunExecutor, serviceLogger, type FieldProblem, type RunningSchoolService, type RunRecord } from '@district/kit';
import type { EntityManager } from '@mikro-orm/postgresql';

export const ROSTER_RUNS_TABLE = 'people.roster_import_run';

export interface RosterImportResult {
  studentsCreated: number;
  guardiansCreated: number;
  classGroupsCreated: number;
}

/** A roster import run (`people.roster_import_run`, a run in kit's shape). */
export interface RosterImportRun extends Pick<
  RunRecord,
  'id' | 'state' | 'requestedBy' | 'requestedAt' | 'startedAt' | 'finishedAt' | 'total' | 'processed' | 'errorCode' | 'error'
> {
  academicYear: string;
  startDate: string;
  /** What was created (SUCCEEDED only). */
  result: RosterImportResult | null;
  /** Every refused line (FAILED with BAD_USER_INPUT: nothing was written). */
  problems: FieldProblem[];
}

export function toRosterImportRun(run: RunRecord): RosterImportRun {
  const result = run.result as (RosterImportResult & { problems?: FieldProblem[] }) | null;
  const startDate = run.row.start_date;
  return {
    id: run.id,
    state: run.state,
    requestedBy: run.requestedBy,
    requestedAt: run.requestedAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    academicYear: String(run.row.academic_year),
    startDate: startDate instanceof Date ? startDate.toISOString().slice(0, 10) : String(startDate),
    total: run.total,
    processed: run.processed,
    result:
      result && result.studentsCreated !== undefined
        ? { studentsCreated: result.studentsCreated, guardiansCreated: result.guardiansCreated, classGroupsCreated: result.classGroupsCreated }
        : null,
    problems: result?.problems ?? [],
    errorCode: run.errorCode,
    error: run.error,
  };
}

// One executor per school database in this process (the context has no slot for it, so it is found by the ORM's driver).
const executors = new WeakMap<object, RunExecutor>();

/** The roster import runs of the school whose database `em` is on. */
export function rosterImportRuns(em: EntityManager, log?: (message: string) => void): RunExecutor {
  const key = em.getDriver();
  let runs = executors.get(key);
  if (!runs) {
    const root = em.fork();
    // One import at a time per instance: imports of one school serialize on their write lock anyway.
    runs = new RunExecutor({ table: ROSTER_RUNS_TABLE, em: () => root.fork(), concurrency: 1, log: log ?? noticeLog(serviceLogger({ service: 'people' })) });
    executors.set(key, runs);
  }
  return runs;
}

/**
 * Ties the school's import runs to the service's life: at start, imports a
 * previous process left unfinished are marked FAILED (interrupted); at
 * shutdown, an import under way is given time to finish.
 */
export async function withRosterImportRuns<S extends RunningSchoolService>(service: S, log?: (message: string) => void): Promise<S> {
  const runs = rosterImportRuns(service.em(), log);
  try {
    await runs.start();
  } catch (error) {
    await service.close();
    throw error;
  }
  return {
    ...service,
    close: async () => {
      await runs.stop();
      await service.close();
    },
  };
}
