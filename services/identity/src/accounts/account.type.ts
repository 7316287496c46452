import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ROLES, type Role } from '@district/kit';
import type { StoredAccount } from './account-store';

/** The platform's roles as a GraphQL enum: `school-admin` is SCHOOL_ADMIN (names from the kit's policy, the one list of roles). */
export const PlatformRole = Object.fromEntries(ROLES.map((role) => [role.toUpperCase().replace(/-/g, '_'), role])) as Record<string, Role>;
registerEnumType(PlatformRole, { name: 'PlatformRole', description: 'A role of the platform (a Keycloak realm role)' });

export enum AccountStatus {
  ACTIVE = 'ACTIVE',
  DISABLED = 'DISABLED',
}
registerEnumType(AccountStatus, { name: 'AccountStatus', description: 'ACTIVE: may log in; DISABLED: blocked (Keycloak `enabled: false`)' });

@ObjectType('Account', { description: 'A person’s single sign-on account (Keycloak user), as the platform manages it' })
export class AccountType {
  @Field(() => ID, { description: 'The Keycloak user id' }) id!: string;
  @Field(() => String) username!: string;
  @Field(() => String) lastName!: string;
  @Field(() => String) firstName!: string;
  @Field(() => String) fullName!: string;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true, description: 'The district person id (`person_id`) linking the account to the person in each school' })
  personId?: string | null;
  @Field(() => AccountStatus) status!: AccountStatus;
  @Field(() => [PlatformRole], { description: 'The platform’s roles the account holds (realm roles)' }) roles!: Role[];
  @Field(() => [ID], { description: 'Schools the account is bound to (`school_ids`)' }) schoolIds!: string[];
  @Field(() => String, { nullable: true, description: 'ISO time the account was created' }) createdAt?: string | null;
  @Field(() => String, { nullable: true, description: 'ISO time of the last login Keycloak recorded (kept 90 days)' }) lastLoginAt?: string | null;
  @Field(() => String, { description: 'When the platform last read or wrote this account in Keycloak' }) syncedAt!: string;

  static from(a: StoredAccount): AccountType {
    return Object.assign(new AccountType(), {
      id: a.id,
      username: a.username,
      lastName: a.lastName,
      firstName: a.firstName,
      fullName: [a.lastName, a.firstName].filter(Boolean).join(' '),
      email: a.email,
      personId: a.personId,
      status: a.enabled ? AccountStatus.ACTIVE : AccountStatus.DISABLED,
      roles: a.roles,
      schoolIds: a.schoolIds,
      createdAt: a.createdAt?.toISOString() ?? null,
      lastLoginAt: a.lastLoginAt?.toISOString() ?? null,
      syncedAt: a.syncedAt.toISOString(),
    });
  }
}

@ObjectType('AccountPage')
export class AccountPageType {
  @Field(() => [AccountType]) items!: AccountType[];
  @Field(() => Int, { description: 'Accounts matching the filter' }) total!: number;
}

@ObjectType('AccountSession', { description: 'A Keycloak session of the account' })
export class AccountSessionType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) ipAddress?: string | null;
  @Field(() => String) startedAt!: string;
  @Field(() => String) lastAccessAt!: string;
  @Field(() => [String], { description: 'Clients (applications) of the session' }) clients!: string[];
}

@ObjectType('CreatedAccount')
export class CreatedAccountType {
  @Field(() => AccountType) account!: AccountType;
  @Field(() => Boolean, { description: 'false: the person already had an account; it was bound to the school and given the roles' }) created!: boolean;
  @Field(() => String, {
    nullable: true,
    description: 'The temporary password of a new account (the person sets their own at the first login); shown once — null for an existing account',
  })
  temporaryPassword?: string | null;
}

@ObjectType('PasswordReset')
export class PasswordResetType {
  @Field(() => AccountType) account!: AccountType;
  @Field(() => String, { description: 'A temporary password; the person sets their own at the next login' }) temporaryPassword!: string;
}
