import { askGateway, DomainError, ErrorCode, type GatewayAnswer, type GatewayUnreachable } from '@district/kit';

/** A person of a school as people lists them for account administration (`accountPersons`). */
export interface SchoolPerson {
  id: string;
  kind: 'STAFF' | 'STUDENT' | 'GUARDIAN';
  lastName: string;
  firstName: string;
  middleName: string | null;
  fullName: string;
  email: string | null;
  personId: string | null;
  active: boolean;
  position: string | null;
  classGroupName: string | null;
}

const FIELDS = 'id kind lastName firstName middleName fullName email personId active position classGroupName';
const PERSONS = `query IdentityPersons($schoolId: ID!, $ids: [ID!]) { accountPersons(schoolId: $schoolId, ids: $ids) { ${FIELDS} } }`;
const SCHOOLS = `query IdentitySchools { schools { id status } }`;
const ASSIGN = `mutation IdentityAssignPersonIds($schoolId: ID!, $ids: [ID!]!) { assignPersonIds(schoolId: $schoolId, ids: $ids) { ${FIELDS} } }`;

/** A school of the district's registry. */
export interface RegisteredSchool {
  id: string;
  status: 'LIVE' | 'PILOT' | 'NOT_STARTED';
}

/**
 * Reads (and, for person ids, writes) a school's people through the gateway's
 * school router with the caller's own token, so people apply their own rules
 * to the caller, and identity holds no copy of anyone's personal data; and
 * the district's registry of schools (for the nightly fix).
 */
export class GatewayClient {
  constructor(
    private readonly gatewayUrl: () => string | undefined,
    private readonly timeoutMs = 10_000,
  ) {}

  async persons(caller: { token: string; requestId: string }, schoolId: string, ids?: readonly string[]): Promise<SchoolPerson[]> {
    return (await this.ask<{ accountPersons: SchoolPerson[] }>(caller, PERSONS, { schoolId, ids: ids ?? null })).accountPersons;
  }

  /** Gives the listed persons a district person id where they have none; answers them all with their ids. */
  async assignPersonIds(caller: { token: string; requestId: string }, schoolId: string, ids: readonly string[]): Promise<SchoolPerson[]> {
    return (await this.ask<{ assignPersonIds: SchoolPerson[] }>(caller, ASSIGN, { schoolId, ids })).assignPersonIds;
  }

  /** The schools of the district's registry the caller may see. */
  async schools(caller: { token: string; requestId: string }): Promise<RegisteredSchool[]> {
    return (await this.ask<{ schools: RegisteredSchool[] }>(caller, SCHOOLS, {})).schools;
  }

  private async ask<T>(caller: { token: string; requestId: string }, query: string, variables: Record<string, unknown>): Promise<T> {
    let answer: GatewayAnswer<T>;
    try {
      answer = await askGateway<T>(this.gatewayUrl(), {
        authorization: `Bearer ${caller.token}`,
        query,
        variables,
        requestId: caller.requestId,
        client: 'identity',
        timeoutMs: this.timeoutMs,
      });
    } catch (error) {
      if ((error as GatewayUnreachable).reason === 'not configured') {
        throw new DomainError(ErrorCode.SchoolUnavailable, 'Шлюз района ещё не запущен; повторите позже', { retryable: true });
      }
      throw new DomainError(ErrorCode.SchoolUnavailable, 'Данные о людях школы сейчас недоступны; повторите позже', { retryable: true });
    }
    const error = answer.errors?.[0];
    if (error || !answer.data) {
      const code = error?.extensions?.code;
      if (code === ErrorCode.Forbidden || code === ErrorCode.Unauthenticated) throw DomainError.forbidden(error!.message);
      if (code === ErrorCode.InvalidInput) throw DomainError.invalid(error!.message);
      throw new DomainError(ErrorCode.SchoolUnavailable, error?.message ?? 'Данные о людях школы сейчас недоступны', { retryable: true });
    }
    return answer.data;
  }
}
