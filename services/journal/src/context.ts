import type { SchoolRequestContext } from '@district/kit';
import type { JournalLoaders } from './loaders';

/** What every journal resolver receives: the viewer, this school, a forked EntityManager and fresh loaders. */
export type JournalContext = SchoolRequestContext<JournalLoaders>;
