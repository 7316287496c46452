import { useTranslation } from 'react-i18next';
import { formatMoment } from '../../lib/dates';
import type { QueuedRequest } from './offline-queue';
import { outbox } from './use-outbox';

/** What waits in the outbox: entries not sent yet, and ones the server refused (the teacher decides). */
export function OutboxNotice({ items, onRetry }: { items: QueuedRequest[]; onRetry: () => void }) {
  const { t } = useTranslation();
  const waiting = items.filter((i) => !i.error);
  const refused = items.filter((i) => i.error);
  if (!items.length) return null;
  return (
    <>
      {waiting.length > 0 && (
        <div className="notice notice--warning" role="status">
          <p>{t('teacher.outbox.waiting', { count: waiting.length })}</p>
          <button type="button" className="button button--secondary" onClick={onRetry}>
            {t('teacher.outbox.sendNow')}
          </button>
        </div>
      )}
      {refused.length > 0 && (
        <div className="notice notice--error" role="alert">
          <p>{t('teacher.outbox.refused')}</p>
          <ul>
            {refused.map((item) => (
              <li key={item.key}>
                {t(`teacher.outbox.kind.${item.kind}`)}, {formatMoment(item.queuedAt)}: {item.error}{' '}
                <button type="button" className="button button--secondary" onClick={() => void outbox.remove(item.key)}>
                  {t('teacher.outbox.discard')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
