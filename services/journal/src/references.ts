import { tryParseGlobalId, type ReferenceResolvers } from '@district/kit';
import type { JournalContext } from './context';
import { StudentRef } from './diary/diary.type';

/** `_entities` resolution for the entities the journal extends. */
export const references: ReferenceResolvers = {
  // Access is checked when the diary is read, per student.
  Student: (ref: { id: string }, ctx: JournalContext) => {
    const parsed = tryParseGlobalId(ref.id);
    return parsed?.type === 'Student' && parsed.schoolId === ctx.schoolId ? Object.assign(new StudentRef(), { id: ref.id }) : null;
  },
};
