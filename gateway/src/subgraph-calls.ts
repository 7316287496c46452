import { ErrorCode, LATENCY_BUCKETS, outcomeOf, requestRecordOf, type Counter, type Histogram, type ServiceMetrics } from '@district/kit';
import type { GraphQLFormattedError } from 'graphql';

type Labels = 'subgraph' | 'school' | 'outcome';

/** The school label of a call to a district subgraph (monitoring), which belongs to no school. */
export const DISTRICT = 'district';

/**
 * Counts and times every call the gateway makes to a subgraph instance, by
 * subgraph, school and outcome ("ok", the first error's code, or
 * SCHOOL_UNAVAILABLE when the instance did not answer): a school's
 * availability is its share of calls not SCHOOL_UNAVAILABLE. The schools
 * called are also noted on the request's record, for its log line.
 */
export class SubgraphCalls {
  private readonly calls: Counter<Labels>;
  private readonly seconds: Histogram<Labels>;

  constructor(metrics: ServiceMetrics) {
    this.calls = metrics.counter({
      name: 'district_subgraph_calls_total',
      help: 'Calls from the gateway to subgraph instances, by subgraph, school and outcome',
      labelNames: ['subgraph', 'school', 'outcome'],
    });
    this.seconds = metrics.histogram({
      name: 'district_subgraph_call_duration_seconds',
      help: 'Time a subgraph instance took to answer the gateway, by subgraph, school and outcome',
      labelNames: ['subgraph', 'school', 'outcome'],
      buckets: LATENCY_BUCKETS,
    });
  }

  async observe<R extends { errors?: readonly GraphQLFormattedError[] }>(
    subgraph: string,
    school: string,
    context: unknown,
    call: () => Promise<R>,
  ): Promise<R> {
    const record = requestRecordOf(context);
    if (record && school !== DISTRICT) (record.schools ??= new Set()).add(school);
    const end = this.seconds.startTimer({ subgraph, school });
    const count = (outcome: string) => {
      end({ outcome });
      this.calls.inc({ subgraph, school, outcome });
    };
    try {
      const response = await call();
      count(outcomeOf(response.errors));
      return response;
    } catch (error) {
      count(ErrorCode.SchoolUnavailable);
      throw error;
    }
  }
}
