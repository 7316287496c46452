import type { EntityManager } from '@mikro-orm/postgresql';
import { manyLoader } from '@district/kit';
import { AccountStore, type StoredAccount } from './accounts/account-store';

/** Per-request loaders: the accounts of many persons (a staff list, a class) in one statement. */
export function identityLoaders(em: EntityManager) {
  const store = new AccountStore(em);
  return {
    accountsByPerson: manyLoader<string, StoredAccount>(
      (personIds) => store.byPersonIds(personIds),
      (a) => a.personId ?? '',
    ),
  };
}

export type IdentityLoaders = ReturnType<typeof identityLoaders>;
