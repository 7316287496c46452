import type { Viewer } from '@district/kit';

/** The subgraphs a school runs: the registry holds each school's instance URL of these (its `instances` fields). */
export const SCHOOL_SUBGRAPHS = ['people', 'schedule', 'journal'] as const;
export type SchoolSubgraph = (typeof SCHOOL_SUBGRAPHS)[number];

export interface SchoolEntry {
  id: string;
  status: string;
  instances: Partial<Record<SchoolSubgraph, string | null>>;
}

export interface DirectoryOptions {
  monitoringUrl: string;
  /** A token the monitoring subgraph accepts for reading instance URLs (the gateway's service account). */
  token: () => Promise<string>;
  refreshMs: number;
  /** Unknown schools trigger a refresh, at most once per this interval (default 250 ms). */
  missRefreshMs?: number;
  log?: (message: string) => void;
}

const QUERY = `{ schools { id status instances { ${SCHOOL_SUBGRAPHS.join(' ')} } } }`;

/**
 * The gateway's view of the district registry: which schools exist and where
 * each instance answers. Refreshed on a timer and whenever a request names a
 * school it does not know yet, so a newly registered school is routed to
 * without a restart. If the registry is unreachable the last good copy stays.
 */
export class SchoolDirectory {
  private schools = new Map<string, SchoolEntry>();
  private timer?: NodeJS.Timeout;
  private inflight?: Promise<void>;
  private lastRefresh = 0;
  lastError?: string;

  constructor(private readonly options: DirectoryOptions) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  get size(): number {
    return this.schools.size;
  }

  refresh(): Promise<void> {
    this.inflight ??= (async () => {
      try {
        const response = await fetch(this.options.monitoringUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.options.token()}` },
          body: JSON.stringify({ query: QUERY }),
          signal: AbortSignal.timeout(5_000),
        });
        const body = (await response.json()) as { data?: { schools?: SchoolEntry[] }; errors?: { message: string }[] };
        if (!response.ok || !body.data?.schools) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
        this.schools = new Map(body.data.schools.map((s) => [s.id, s]));
        this.lastError = undefined;
      } catch (error) {
        this.lastError = (error as Error).message;
        this.options.log?.(`school registry refresh failed, keeping ${this.schools.size} known schools: ${this.lastError}`);
      } finally {
        this.lastRefresh = Date.now();
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }

  /** The instance URL of a school's subgraph, refreshing once if the school is unknown. */
  async urlOf(schoolId: string, subgraph: SchoolSubgraph): Promise<string | undefined> {
    let entry = this.schools.get(schoolId);
    if (!entry?.instances[subgraph] && Date.now() - this.lastRefresh >= (this.options.missRefreshMs ?? 250)) {
      await this.refresh();
      entry = this.schools.get(schoolId);
    }
    return entry?.instances[subgraph] ?? undefined;
  }

  /** Registered schools this viewer may reach that run the given subgraph, in code order. */
  reachable(viewer: Viewer, subgraph: SchoolSubgraph): string[] {
    return [...this.schools.values()]
      .filter((s) => s.instances[subgraph] && viewer.canReachSchool(s.id))
      .map((s) => s.id)
      .sort();
  }
}
