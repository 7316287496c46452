import { useTranslation } from 'react-i18next';
import type { AccountStatus } from '../../gql/graphql';
import { Badge } from '../../ui/components';

/** Where the list was when an account was opened (its school and filters), to go back to. */
export interface AccountLinkState {
  search?: string;
}

export function accountPath(id: string): string {
  return `/accounts/${encodeURIComponent(id)}`;
}

export function StatusBadge({ status }: { status: AccountStatus }) {
  const { t } = useTranslation();
  return <Badge kind={status === 'ACTIVE' ? 'success' : 'danger'}>{t(`accounts.status.${status}`)}</Badge>;
}
