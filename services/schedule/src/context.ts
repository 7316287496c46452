import type { SchoolRequestContext } from '@district/kit';
import type { ScheduleLoaders } from './loaders';

/** What every schedule resolver receives: the viewer, this school, a forked EntityManager and fresh loaders. */
export type ScheduleContext = SchoolRequestContext<ScheduleLoaders>;
