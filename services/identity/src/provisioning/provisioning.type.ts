import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { RunState, type RunRecord } from '@district/kit';
import { AccountType } from '../accounts/account.type';
import type { Credential, RunLine, RunReport } from './provisioning.service';
import type { DriftItem, DriftKind } from './school-plan';

export const DRIFT_KINDS: readonly DriftKind[] = ['PERSON_WITHOUT_ACCOUNT', 'SCHOOL_MISSING', 'ROLES_MISSING', 'ROLES_EXTRA', 'NO_CURRENT_PERSON'];
const DriftKindEnum = Object.fromEntries(DRIFT_KINDS.map((k) => [k, k])) as Record<DriftKind, DriftKind>;
registerEnumType(DriftKindEnum, {
  name: 'AccountDriftKind',
  description:
    'PERSON_WITHOUT_ACCOUNT: a current person has no account; SCHOOL_MISSING: their account is not bound to the school; ROLES_MISSING / ROLES_EXTRA: roles that do not match what they are in the school; NO_CURRENT_PERSON: an account bound to the school belongs to nobody current of it (left, or never was)',
});

@ObjectType('AccountDrift', { description: 'One difference between a school’s people and its accounts in Keycloak' })
export class AccountDriftType {
  @Field(() => DriftKindEnum) kind!: DriftKind;
  @Field(() => ID, { nullable: true, description: 'The person (Staff, Student, Guardian id)' }) person?: string | null;
  @Field(() => String, { nullable: true }) personKind?: string | null;
  @Field(() => String) fullName!: string;
  @Field(() => AccountType, { nullable: true }) account?: AccountType | null;
  @Field(() => [String], { description: 'Roles to grant (ROLES_MISSING), to take back (ROLES_EXTRA) or a new account gets' }) roles!: string[];

  static from(d: DriftItem): AccountDriftType {
    return Object.assign(new AccountDriftType(), {
      kind: d.kind,
      person: d.person?.id ?? null,
      personKind: d.person?.kind ?? null,
      fullName: d.person?.fullName ?? (d.account ? `${d.account.lastName} ${d.account.firstName}`.trim() : ''),
      account: d.account ? AccountType.from(d.account) : null,
      roles: d.roles,
    });
  }
}

@ObjectType('AccountRunLine', { description: 'What a provisioning run did for one person or account' })
export class AccountRunLineType {
  @Field(() => ID, { nullable: true }) person?: string | null;
  @Field(() => String, { nullable: true, description: 'STAFF, STUDENT or GUARDIAN' }) kind?: string | null;
  @Field(() => String) fullName!: string;
  @Field(() => String, { nullable: true }) username?: string | null;
  @Field(() => String, { description: 'CREATED, EXISTING, BOUND, ROLES_GRANTED, ROLES_REVOKED, UNBOUND, DISABLED, SKIPPED or FAILED' }) outcome!: string;
  @Field(() => String, { nullable: true }) reason?: string | null;
}

@ObjectType('AccountRun', { description: 'A run that provisions a school’s accounts or fixes their drift' })
export class AccountRunType {
  @Field(() => ID) id!: string;
  @Field(() => ID) schoolId!: string;
  @Field(() => String, { description: 'PROVISION or FIX' }) mode!: string;
  @Field(() => RunState) state!: RunState;
  @Field(() => String) requestedBy!: string;
  @Field(() => String) requestedAt!: string;
  @Field(() => String, { nullable: true }) finishedAt?: string | null;
  @Field(() => Int, { nullable: true }) total?: number | null;
  @Field(() => Int) processed!: number;
  @Field(() => String, { nullable: true }) error?: string | null;
  @Field(() => [AccountRunLineType], { description: 'The report, once the run finished' }) lines!: RunLine[];
  @Field(() => Int, { description: 'Accounts the run created' }) created!: number;
  @Field(() => String, {
    nullable: true,
    description: 'The created accounts’ logins and temporary passwords as CSV (UTF-8, «;»-separated, for the school to hand out); null a day after the run',
  })
  credentialsCsv?: string | null;

  static from(run: RunRecord<RunReport>): AccountRunType {
    const report = run.result;
    const row = run.row as { school_id: string; mode: string };
    return Object.assign(new AccountRunType(), {
      id: String(run.id),
      schoolId: row.school_id,
      mode: row.mode,
      state: run.state,
      requestedBy: run.requestedBy,
      requestedAt: new Date(run.requestedAt).toISOString(),
      finishedAt: run.finishedAt ? new Date(run.finishedAt).toISOString() : null,
      total: run.total,
      processed: run.processed,
      error: run.error,
      lines: report?.lines ?? [],
      created: report?.lines.filter((l) => l.outcome === 'CREATED').length ?? 0,
      credentialsCsv: report?.credentials ? credentialsCsv(report.credentials) : null,
    });
  }
}

const KIND_NAMES: Record<string, string> = { STAFF: 'сотрудник', STUDENT: 'обучающийся', GUARDIAN: 'родитель' };

/** One line per created account, for the school to print or mail merge (Excel opens «;»-separated UTF-8 with a BOM). */
export function credentialsCsv(credentials: readonly Credential[]): string {
  const cell = (v: string | null) => `"${(v ?? '').replace(/"/g, '""')}"`;
  const rows = credentials.map((c) => [c.fullName, KIND_NAMES[c.kind] ?? c.kind, c.classGroupName, c.username, c.temporaryPassword].map(cell).join(';'));
  return `\uFEFF${['ФИО;Кто;Класс;Логин;Временный пароль', ...rows].join('\r\n')}\r\n`;
}
