import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

export type { Counter, Gauge, Histogram };

/** Seconds; up to the gateway's 30 s request timeout. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Keeps a label's values bounded: operation names come from clients, and
 * every new value would be a new series. The first `max` values are kept,
 * later ones count as "(other)".
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();
  constructor(private readonly max = 200) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return '(other)';
    this.seen.add(value);
    return value;
  }
}

let processRegistry: Registry | undefined;

/** CPU, memory, event loop lag, GC: the process's, made once however many servers share it (the demo, tests). */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Connections of a knex (tarn) pool, read at scrape time. */
export interface PoolUse {
  used: number;
  free: number;
  pending: number;
  max: number;
}

/**
 * The metrics of one server (a subgraph instance or the gateway). Each has
 * its own registry, not prom-client's global one: the demo and the tests run
 * many servers in one process, and each must count only its own requests.
 * Every series carries `service` (and `school` for a school's instance).
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'operation' | 'outcome'>;
  private readonly requestSeconds: Histogram<'operation' | 'outcome'>;
  private readonly operations = new BoundedLabel();

  constructor(readonly identity: { service: string; school?: string }) {
    this.registry.setDefaultLabels(identity.school ? { service: identity.service, school: identity.school } : { service: identity.service });
    this.requests = this.counter({
      name: 'district_requests_total',
      help: 'Requests answered, by GraphQL operation (or HTTP route) and outcome (ok or the error code)',
      labelNames: ['operation', 'outcome'],
    });
    this.requestSeconds = this.histogram({
      name: 'district_request_duration_seconds',
      help: 'Time to answer a request, by operation and outcome',
      labelNames: ['operation', 'outcome'],
      buckets: LATENCY_BUCKETS,
    });
  }

  observeRequest(operation: string, outcome: string, seconds: number): void {
    const labels = { operation: this.operations.of(operation), outcome };
    this.requests.inc(labels);
    this.requestSeconds.observe(labels, seconds);
  }

  counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
    return new Counter({ ...config, registers: [this.registry] });
  }

  histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
    return new Histogram({ ...config, registers: [this.registry] });
  }

  gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
    return new Gauge({ ...config, registers: [this.registry] });
  }

  /** The database pool's connections by state (used, free, pending acquires) and its size; `use` answers undefined once the pool is closed. */
  databasePool(use: () => PoolUse | undefined): void {
    this.gauge({
      name: 'district_db_pool_connections',
      help: 'Database pool connections: used (checked out), free (idle), pending (requests waiting for one)',
      labelNames: ['state'],
      collect() {
        const now = use();
        if (!now) return;
        this.set({ state: 'used' }, now.used);
        this.set({ state: 'free' }, now.free);
        this.set({ state: 'pending' }, now.pending);
      },
    });
    this.gauge({
      name: 'district_db_pool_max',
      help: 'Largest number of connections the database pool opens',
      collect() {
        const now = use();
        if (now) this.set(now.max);
      },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text: this server's series, then the process's. */
  async render(): Promise<string> {
    return `${await this.registry.metrics()}\n${await processMetrics().metrics()}`;
  }
}
