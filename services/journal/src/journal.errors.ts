import { DomainError } from '@district/kit';

/**
 * The journal's own codes (`extensions.code`): an entry or correction refused
 * by the school's rules for entries. Clients switch on these strings.
 */
export type JournalErrorCode =
  /** The lesson has not started yet. */
  | 'LESSON_NOT_HELD'
  | 'LESSON_CANCELLED'
  /** A student named in the entry does not attend this lesson (split groups, moves). */
  | 'STUDENT_NOT_IN_LESSON'
  /** Past the teacher's own edit window: a correction needs a reason and a deputy's approval. */
  | 'EDIT_WINDOW_CLOSED'
  | 'TERM_CLOSED';

/** A journal rule was broken; the message is shown to the user as is. */
export class JournalError extends DomainError<JournalErrorCode> {}
