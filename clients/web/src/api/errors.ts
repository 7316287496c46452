import type { CombinedError } from '@urql/core';
import type { TFunction } from 'i18next';

export interface ShownError {
  code: string;
  message: string;
  /** A school that did not answer, when the error names one. */
  schoolId?: string;
}

/** What the user reads for a failed request: Russian, with what to do next; never a stack. */
export function describeError(error: CombinedError, t: TFunction): ShownError[] {
  if (error.networkError && error.graphQLErrors.length === 0) return [{ code: 'NETWORK', message: t('errors.network') }];
  return error.graphQLErrors.map((e) => {
    const code = String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
    const schoolId = typeof e.extensions?.schoolId === 'string' ? e.extensions.schoolId : undefined;
    switch (code) {
      case 'UNAUTHENTICATED':
      case 'DATABASE_UNAVAILABLE':
      case 'SERVICE_STOPPING':
        return { code, message: t(`errors.${code}`) };
      case 'SCHOOL_UNAVAILABLE':
        // Without a school named (e.g. identity could not read a school's people), the API's own words.
        return { code, schoolId, message: schoolId ? t('errors.SCHOOL_UNAVAILABLE', { school: schoolId }) : e.message };
      case 'FORBIDDEN':
      case 'NOT_FOUND':
        return { code, message: t(`errors.${code}`, { message: e.message }) };
      case 'INTERNAL_SERVER_ERROR':
        return { code, message: t('errors.generic', { message: e.message }) };
      default:
        // Domain errors (BAD_USER_INPUT, CONFLICT, EDIT_WINDOW_CLOSED, …) carry a Russian message meant for the user.
        return { code, message: e.message };
    }
  });
}
