/** What a test sees of a GraphQL answer over HTTP. */
export interface GraphQLAnswer<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

/** POSTs an operation with a bearer token (or none), as a browser or an app would. */
export async function gqlAt<T = Record<string, any>>(
  url: string,
  token: string | undefined,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLAnswer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  try {
    return { status: response.status, ...(JSON.parse(text) as object) };
  } catch {
    return { status: response.status, errors: [{ message: text }] };
  }
}

/** The error codes of an answer, in order. */
export function codes(answer: GraphQLAnswer<unknown>): string[] {
  return (answer.errors ?? []).map((e) => String(e.extensions?.code));
}

export type DemoRole = 'director' | 'deputy' | 'teacher' | 'student' | 'parent';

/** person_id of a demo user of school sNNN (see the realm file): …-0000000SSSRR, role codes director 01 … parent 05. */
export function demoPersonId(school: number, role: DemoRole): string {
  const code = { director: 1, deputy: 2, teacher: 3, student: 4, parent: 5 }[role];
  return `00000000-0000-4000-8000-${String(school * 100 + code).padStart(12, '0')}`;
}

/** person_id of the demo login parent.multi (a parent in s001 and s002). */
export const PARENT_MULTI_PERSON_ID = '00000000-0000-4000-8000-000000090004';
