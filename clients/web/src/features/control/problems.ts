import type { CombinedError } from '@urql/core';

/** Per-field validation messages (extensions.problems of BAD_USER_INPUT), by field name. */
export function fieldProblems(error: CombinedError | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of error?.graphQLErrors ?? []) {
    const problems = e.extensions?.problems;
    if (!Array.isArray(problems)) continue;
    for (const p of problems as { field?: unknown; message?: unknown }[]) {
      if (typeof p.field === 'string' && typeof p.message === 'string') out[p.field] = out[p.field] ? `${out[p.field]}; ${p.message}` : p.message;
    }
  }
  return out;
}

export function errorCode(error: CombinedError | undefined): string | undefined {
  const code = error?.graphQLErrors[0]?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}
