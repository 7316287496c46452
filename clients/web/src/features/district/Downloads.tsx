import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from 'react-oidc-context';
import { saveBlob } from '../../lib/save-file';
import { Notice } from '../../ui/components';
import { ExportFailed, fetchExport } from './export-files';

/**
 * XLSX and CSV of one export route (`/exports/<name>.xlsx?…`). The routes need
 * the bearer token, so the file is fetched here and saved from a blob; a
 * failure is said in words, never a silent nothing.
 */
export function Downloads({ name, params, label }: { name: 'monitoring' | 'progress'; params: Record<string, string>; label?: string }) {
  const { t } = useTranslation();
  // Outside an AuthProvider (component tests) there is no token; the request then fails visibly with 401.
  const token = (useAuth() as ReturnType<typeof useAuth> | undefined)?.user?.access_token;
  const [busy, setBusy] = useState<'xlsx' | 'csv' | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();

  async function download(format: 'xlsx' | 'csv') {
    setBusy(format);
    setProblem(undefined);
    setDone(undefined);
    try {
      const { blob, name: file } = await fetchExport(`/exports/${name}.${format}?${new URLSearchParams(params).toString()}`, token);
      saveBlob(blob, file);
      setDone(file);
    } catch (error) {
      const e = error instanceof ExportFailed ? error : new ExportFailed(String(error));
      const reason = e.message === 'network' ? t('district.downloads.network') : e.message || t('district.downloads.http', { status: e.status ?? '?' });
      setProblem(t('district.downloads.failed', { message: reason }));
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <div className="district-downloads">
      <div className="toolbar" role="group" aria-label={label ?? t('district.downloads.label')}>
        <span className="small muted">{t('district.downloads.label')}:</span>
        {(['xlsx', 'csv'] as const).map((format) => (
          <button
            key={format}
            type="button"
            className="button button--secondary"
            disabled={busy !== undefined}
            aria-busy={busy === format}
            onClick={() => void download(format)}
          >
            {busy === format ? t('district.downloads.busy') : t(`district.downloads.${format}`)}
          </button>
        ))}
      </div>
      {problem && <Notice kind="error">{problem}</Notice>}
      {done && (
        <p className="small muted" role="status">
          {t('district.downloads.done', { name: done })}
        </p>
      )}
    </div>
  );
}
