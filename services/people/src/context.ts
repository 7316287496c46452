import type { SchoolRequestContext } from '@district/kit';
import type { PeopleLoaders } from './loaders';

/** What every people resolver receives: the viewer, this school, a forked EntityManager and fresh loaders. */
export type PeopleContext = SchoolRequestContext<PeopleLoaders>;
