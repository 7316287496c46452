import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { AccountsCreateAccountMutation, PlatformRole } from '../../gql/graphql';
import { Notice } from '../../ui/components';
import type { AccountCreation } from './access';
import { ActionDialog } from './ActionDialog';
import { accountPath, type AccountLinkState } from './common';
import { personKindLabel, roleList } from './labels';
import { PasswordOnce } from './PasswordOnce';
import { AccountsCreateAccountMutation as CreateDocument } from './queries';
import { useIdentityAction } from './use-identity-action';

/** A person of the school with no account (a drift line), and the roles a new account gets. */
export interface AccountCandidate {
  person: string;
  personKind: string | null | undefined;
  fullName: string;
  roles: PlatformRole[];
}

/** What a creation did, kept on the page; the password only until the administrator hides it. */
export interface CreationOutcome {
  created: boolean;
  accountId: string;
  username: string;
  fullName: string;
  roles: PlatformRole[];
  password?: string;
}

function outcomeOf(candidate: AccountCandidate, answer: AccountsCreateAccountMutation['createAccount']): CreationOutcome {
  return {
    created: answer.created,
    accountId: answer.account.id,
    username: answer.account.username,
    fullName: candidate.fullName,
    roles: candidate.roles,
    password: answer.temporaryPassword ?? undefined,
  };
}

/**
 * The drift line's «Создать учётную запись»: disabled, with the reason beside
 * it, when the line names roles the viewer does not grant (a director does not
 * make a director) or none at all.
 */
export function CreateAccountButton({ fullName, creation, onCreate }: { fullName: string; creation: AccountCreation; onCreate: () => void }) {
  const { t } = useTranslation();
  const hintId = useId();
  const hint = creation.refused.length
    ? t('accounts.create.notGrantable', { roles: roleList(creation.refused, t) })
    : creation.roles.length === 0
      ? t('accounts.create.noRoles')
      : undefined;
  return (
    <>
      <button
        type="button"
        className="button button--secondary"
        aria-label={t('accounts.create.buttonFor', { name: fullName })}
        aria-describedby={hint ? hintId : undefined}
        disabled={hint !== undefined}
        onClick={onCreate}
      >
        {t('accounts.create.button')}
      </button>
      {hint && (
        <p id={hintId} className="small muted accounts-create-hint">
          {hint}
        </p>
      )}
    </>
  );
}

/**
 * The confirmation of a new account, naming the person and the roles; one
 * idempotency key per confirmation, the same one again on «Повторить» after
 * Keycloak's or the school's silence.
 */
export function CreateAccountDialog({
  candidate,
  schoolLabel,
  onDone,
  onClose,
}: {
  candidate: AccountCandidate;
  schoolLabel: string;
  onDone: (outcome: CreationOutcome) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const action = useIdentityAction(CreateDocument);
  const words = { name: candidate.fullName, kind: personKindLabel(candidate.personKind, t), school: schoolLabel, roles: roleList(candidate.roles, t) };
  return (
    <ActionDialog
      title={t('accounts.create.title', words)}
      description={
        <>
          <p>{t('accounts.create.text', words)}</p>
          <p className="small muted">{t('accounts.create.existingNote')}</p>
        </>
      }
      confirmLabel={t('accounts.create.confirm')}
      action={action}
      onConfirm={() => action.run({ person: candidate.person, roles: candidate.roles })}
      onDone={(data) => onDone(outcomeOf(candidate, data.createAccount))}
      onClose={onClose}
    />
  );
}

/**
 * What a creation did: a new account with its login and its temporary
 * password shown once, or the person's existing account bound to the school;
 * a link to the account either way. Focus comes here when it appears (the
 * drift line it came from leaves the list).
 */
export function CreationResult({ outcome, back, onHidePassword }: { outcome: CreationOutcome; back: AccountLinkState; onHidePassword: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const words = { name: outcome.fullName, username: outcome.username, roles: roleList(outcome.roles, t) };

  useEffect(() => ref.current?.focus(), []);

  return (
    <div ref={ref} tabIndex={-1} className="accounts-created">
      <Notice kind="success">
        <p>{t(outcome.created ? 'accounts.create.created' : 'accounts.create.existing', words)}</p>
        <p>
          <Link to={accountPath(outcome.accountId)} state={back}>
            {t('accounts.create.open', words)}
          </Link>
        </p>
      </Notice>
      {outcome.password && <PasswordOnce password={outcome.password} fullName={outcome.fullName} username={outcome.username} onHide={onHidePassword} />}
    </div>
  );
}
