import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Notice } from '../../ui/components';

/**
 * A temporary password, shown this once: the API keeps it only to answer a
 * retry, and the page forgets it when the administrator closes it. The person
 * sets their own password at the first login.
 */
export function PasswordOnce({ password, fullName, username, onHide }: { password: string; fullName: string; username: string; onHide: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(password);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <Notice kind="warning">
      <p>
        <strong>{t('accounts.password.onceTitle')}</strong> {t('accounts.password.onceText', { name: fullName })}
      </p>
      <div className="accounts-password">
        <span>{t('accounts.password.label', { username })}</span>
        <code className="accounts-password__value">{password}</code>
        <button type="button" className="button button--secondary" onClick={() => void copy()}>
          {t('accounts.password.copy')}
        </button>
        <button type="button" className="button button--secondary" onClick={onHide}>
          {t('accounts.password.hide')}
        </button>
      </div>
      <p className="small" role="status">
        {copied === 'yes' ? t('accounts.password.copied') : copied === 'failed' ? t('accounts.password.copyFailed') : ''}
      </p>
    </Notice>
  );
}
