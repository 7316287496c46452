import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, DialogActions, ErrorNotice } from '../../ui/components';
import type { IdentityAction } from './use-identity-action';

/**
 * The confirmation of one change to an account: what will happen, named with
 * the person; an optional reason for the audit; the refusal in the API's
 * words. After Keycloak's silence only «Повторить» is offered — the same
 * action with the same key — so a half-done change is finished, not repeated.
 */
export function ActionDialog<Data>({
  title,
  description,
  confirmLabel,
  danger = false,
  withReason = false,
  action,
  onConfirm,
  onDone,
  onClose,
}: {
  title: string;
  description: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  withReason?: boolean;
  action: Omit<IdentityAction<Data, unknown>, 'run'>;
  onConfirm: (reason: string | null) => Promise<Data | undefined>;
  onDone: (data: Data) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const descriptionId = useId();
  const reasonId = useId();
  const [reason, setReason] = useState('');
  const busy = action.fetching;
  const finish = (data: Data | undefined) => {
    if (data !== undefined) onDone(data);
  };
  const cancel = () => {
    if (busy) return;
    action.reset();
    onClose();
  };

  return (
    <Dialog title={title} onClose={cancel} describedBy={descriptionId}>
      <div id={descriptionId}>{description}</div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (busy) return;
          void (action.retryable ? action.retry() : onConfirm(reason.trim() || null)).then(finish);
        }}
      >
        {withReason && (
          <label className="field" htmlFor={reasonId}>
            {t('accounts.dialog.reason')}
            <textarea
              id={reasonId}
              value={reason}
              maxLength={500}
              rows={2}
              disabled={busy || action.retryable}
              onChange={(e) => setReason(e.target.value)}
              data-autofocus
            />
          </label>
        )}
        <div aria-live="polite">
          {action.error && (
            <>
              <ErrorNotice error={action.error} />
              {action.retryable && <p className="small muted">{t('accounts.dialog.retryHint')}</p>}
            </>
          )}
          {busy && (
            <p className="small muted" role="status">
              {t('accounts.dialog.sending')}
            </p>
          )}
        </div>
        <DialogActions>
          <button type="button" className="button button--secondary" onClick={cancel} disabled={busy}>
            {t('app.cancel')}
          </button>
          {/* After Keycloak's silence the same button sends the same action again: focus stays where the user is. */}
          {/* aria-disabled, not disabled: a disabled button drops the focus out of the dialog while the change is sent. */}
          <button type="submit" className={`button${danger ? ' button--danger' : ''}`} aria-disabled={busy} data-autofocus={withReason ? undefined : true}>
            {action.retryable ? t('app.retry') : confirmLabel}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
