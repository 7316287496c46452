import type { ReferenceResolvers } from '@district/kit';
import { GuardianRef, StaffRef, StudentRef } from './persons/person-refs';

/** `_entities`: the persons people own, with the `personId` people sent along (@requires); their `account` is resolved on them. */
export const references: ReferenceResolvers = {
  Staff: (ref: { id: string; personId?: string | null }) => Object.assign(new StaffRef(), ref),
  Student: (ref: { id: string; personId?: string | null }) => Object.assign(new StudentRef(), ref),
  Guardian: (ref: { id: string; personId?: string | null }) => Object.assign(new GuardianRef(), ref),
};
