export { codes, completeFirstLogin, decodeClaims, tokenFor } from '@district/kit/testing';
import { toGlobalId } from '@district/kit';

/** A global id of a row of a school (to name persons the caller may not read). */
export const toGlobalIdForTest = (type: string, schoolId: string, localId: number) => toGlobalId(type, schoolId, localId);
