import { randomBytes } from 'node:crypto';
import { keycloakUrl } from '@district/kit/testing';
import { startDistrict, type District, type DistrictOptions } from '@district/infra';

/** A fresh district (own databases) for one test file. */
export function testDistrict(options: Partial<DistrictOptions> = {}): Promise<District> {
  return startDistrict({
    schools: ['s001', 's002', 's003'],
    databasePrefix: `t_${randomBytes(3).toString('hex')}`,
    keycloakUrl: keycloakUrl(),
    studentsPerClass: 3,
    schoolTimeoutMs: 1_500,
    ...options,
  });
}

export interface GraphQLAnswer<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

/** POSTs a GraphQL operation with a bearer token, as a browser or app would. */
export async function gql<T = Record<string, any>>(url: string, token: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: { data?: T | null; errors?: GraphQLAnswer['errors'] } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = { errors: [{ message: text }] };
  }
  return { status: response.status, ...body };
}

export function codes(answer: GraphQLAnswer): string[] {
  return (answer.errors ?? []).map((e) => String(e.extensions?.code));
}
