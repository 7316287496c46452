import { DomainError, grantableRoles, managesEveryAccount, type Role, type Viewer } from '@district/kit';
import { IdentityError } from '../identity.errors';

/** The refusal for an account the caller does not administer: the same whether it exists or not, naming nothing of it. */
export function notYours(): DomainError {
  return DomainError.forbidden('Учётная запись не найдена среди учётных записей вашей школы');
}

/**
 * Who may change which account, beyond the action (`accounts:manage`) the
 * operation guard already checked: district IT (`sso-admin`) every account;
 * a director the accounts whose schools are all theirs (roles hold in every
 * school of an account, so an account shared with another school is district
 * IT's), and for shared accounts only their own school's binding. Nobody
 * changes their own account. Checked before anything is loaded where the
 * question needs no data (own account, grantable role), then on the account.
 */
export class AccountRules {
  constructor(private readonly viewer: Viewer) {}

  get everyAccount(): boolean {
    return managesEveryAccount(this.viewer);
  }

  /** The schools whose accounts the viewer sees; undefined: all. */
  get visibleSchools(): readonly string[] | undefined {
    return this.everyAccount ? undefined : this.viewer.schoolIds;
  }

  canSee(account: { schoolIds: readonly string[] }): boolean {
    return this.everyAccount || account.schoolIds.some((s) => this.viewer.schoolIds.includes(s));
  }

  notOwn(accountId: string): void {
    if (accountId === this.viewer.subject) throw new IdentityError('OWN_ACCOUNT', 'Свою учётную запись (роли, школы, блокировку) меняет другой администратор');
  }

  grantable(role: Role): void {
    if (!grantableRoles(this.viewer).has(role)) {
      throw new IdentityError(
        'ROLE_NOT_GRANTABLE',
        this.everyAccount ? `Роль ${role} не выдаётся` : `Директор выдаёт только роли школы: учитель, завуч, обучающийся, родитель (не ${role})`,
      );
    }
  }

  school(schoolId: string): void {
    if (!this.everyAccount && !this.viewer.schoolIds.includes(schoolId))
      throw DomainError.forbidden(`Учётными записями школы ${schoolId} управляет её директор`);
  }

  /** May change the account as a whole (roles, status, password, sessions)? A refusal names nothing of the account. */
  whole(account: { schoolIds: readonly string[] }): void {
    if (this.everyAccount) return;
    if (!this.canSee(account)) throw notYours();
    if (account.schoolIds.some((s) => !this.viewer.schoolIds.includes(s))) {
      throw DomainError.forbidden('Учётная запись относится и к другой школе: её роли и блокировку меняет администратор единого входа района');
    }
  }

  /** May bind or unbind the school on the account (a director: their own school, on an account they see or of a person of their school)? */
  binding(account: { schoolIds: readonly string[] }, schoolId: string): void {
    this.school(schoolId);
    if (!this.everyAccount && !this.canSee(account)) throw notYours();
  }
}
