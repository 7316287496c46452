import { todayIso } from '../../lib/dates';
import { saveBlob } from '../../lib/save-file';

/** `uchetnye-zapisi-s001-2026-12-07.csv`: the school and the run's day in the district (Moscow). */
export function credentialsFileName(schoolId: string, requestedAt: string): string {
  const school = schoolId.replace(/[^\w-]+/g, '_');
  return `uchetnye-zapisi-${school}-${todayIso(new Date(requestedAt))}.csv`;
}

/** The CSV exactly as the API gave it (UTF-8 with a BOM, «;»-separated: Excel opens it as is). */
export function credentialsBlob(csv: string): Blob {
  return new Blob([csv], { type: 'text/csv;charset=utf-8' });
}

export function saveCredentials(csv: string, schoolId: string, requestedAt: string): string {
  const name = credentialsFileName(schoolId, requestedAt);
  saveBlob(credentialsBlob(csv), name);
  return name;
}
