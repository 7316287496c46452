import { RunState, type RunRecord, type TokenVerifier, type Viewer } from '@district/kit';
import type { GatewayClient } from '../gateway-client';
import type { ProvisioningService, RunReport } from './provisioning.service';

export interface NightlyFixOutcome {
  schoolId: string;
  /** The run that did the school's fix (a run already working for the school is waited for instead). */
  runId: number | null;
  state: RunState;
  error: string | null;
}

export interface NightlyFixDeps {
  /** identity's own client-credentials token (its service account holds the realm role sso-admin). */
  token: () => Promise<string>;
  verifier: TokenVerifier;
  gateway: GatewayClient;
  provisioning: (viewer: Viewer, requestId: string) => ProvisioningService;
  log: (message: string) => void;
  /** How often a run's state is read while waiting for it (default 2 s), and how long one school is waited for (default 30 min). */
  pollMs?: number;
  waitMs?: number;
}

const FINISHED: readonly RunState[] = [RunState.SUCCEEDED, RunState.PARTIAL, RunState.FAILED];

/**
 * The nightly account fix: once a night identity runs fixAccountDrift for
 * every started school of the registry as district IT would, with its own
 * service account. So whoever left a school in the day (an enrollment or a
 * position ended in people) loses that school's binding and roles by the
 * morning, and an account left with no school is blocked, without anyone
 * pressing «Исправить». One school at a time (each is a stream of Admin API
 * calls); a school that fails is logged and does not stop the others. The
 * idempotency key is the night and the school, so a second replica (or a
 * restart) in the same night joins the same run instead of running another.
 */
export class NightlyAccountFix {
  constructor(private readonly deps: NightlyFixDeps) {}

  async run(day: string): Promise<NightlyFixOutcome[]> {
    const requestId = `nightly-account-fix-${day}`;
    const token = await this.deps.token();
    const schools = (await this.deps.gateway.schools({ token, requestId })).filter((s) => s.status !== 'NOT_STARTED');
    const outcomes: NightlyFixOutcome[] = [];
    for (const school of schools) {
      let outcome: NightlyFixOutcome;
      try {
        // A fresh token per school: a long night outlives one token.
        const viewer = await this.deps.verifier.verify(await this.deps.token());
        const provisioning = this.deps.provisioning(viewer, requestId);
        const run = await this.finished(provisioning, await provisioning.start(school.id, 'FIX', `nightly-${day}-${school.id}`));
        outcome = { schoolId: school.id, runId: run.id, state: run.state, error: run.error };
      } catch (error) {
        outcome = { schoolId: school.id, runId: null, state: RunState.FAILED, error: (error as Error).message };
      }
      if (outcome.state !== RunState.SUCCEEDED) this.deps.log(`nightly account fix of ${school.id}: ${outcome.state} ${outcome.error ?? ''}`.trim());
      outcomes.push(outcome);
    }
    return outcomes;
  }

  private async finished(provisioning: ProvisioningService, started: RunRecord<RunReport>): Promise<RunRecord<RunReport>> {
    const { pollMs = 2_000, waitMs = 30 * 60_000 } = this.deps;
    const until = Date.now() + waitMs;
    let run = started;
    while (!FINISHED.includes(run.state)) {
      if (Date.now() > until) return { ...run, error: `still ${run.state} after ${Math.round(waitMs / 60_000)} min; left to finish on its own` };
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      run = (await provisioning.run(run.id)) ?? run;
    }
    return run;
  }
}
