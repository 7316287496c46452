import { FIGURES } from '../collection/figures';
import type { ReportChange, SchoolMonthLine } from '../collection/report';
import type { ExportColumn, ExportSheet } from './table-export';

const STATUS_RU: Record<string, string> = { LIVE: 'ведёт ЭЖ', PILOT: 'пилотный режим', NOT_STARTED: 'не начинала' };
const STATE_RU: Record<string, string> = { CURRENT: 'актуально', STALE: 'устарело', NOT_COLLECTED: 'не собрано' };
const FIELD_RU: Record<string, string> = {
  schoolStatus: 'Статус школы',
  state: 'Состояние сбора',
  ...Object.fromEntries(FIGURES.map((f) => [f.key, f.header])),
};

/** Collection times as exact UTC instants (2026-11-28 03:00:12 UTC): readers sit in different zones. */
const when = (iso: string | null) => iso && iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

function changeText(field: string, value: string | number | null): string | null {
  if (value === null) return null;
  if (field === 'state') return STATE_RU[value] ?? String(value);
  if (field === 'schoolStatus') return STATUS_RU[value] ?? String(value);
  return String(value);
}

const LINE_COLUMNS: ExportColumn[] = [
  { key: 'schoolId', header: 'Код школы', type: 'text', width: 10 },
  { key: 'shortName', header: 'Школа', type: 'text', width: 24 },
  { key: 'schoolStatus', header: 'Статус школы', type: 'text', width: 16 },
  { key: 'state', header: 'Состояние сбора', type: 'text', width: 14 },
  { key: 'collectedAt', header: 'Собрано', type: 'text', width: 22 },
  { key: 'lastError', header: 'Причина устаревания', type: 'text', width: 30 },
  ...FIGURES.map((f): ExportColumn => ({ key: f.key, header: f.header, type: f.type, decimals: f.type === 'decimal' ? 2 : undefined })),
];

/** The monthly monitoring as export sections: figures per school, then the changes against the previous report version. */
export function monitoringSheets(lines: readonly SchoolMonthLine[], changes: readonly ReportChange[]): ExportSheet[] {
  return [
    {
      name: 'Мониторинг',
      columns: LINE_COLUMNS,
      rows: lines.map((l) => ({
        ...l.figures,
        schoolId: l.schoolId,
        shortName: l.shortName,
        schoolStatus: STATUS_RU[l.schoolStatus] ?? l.schoolStatus,
        state: STATE_RU[l.state] ?? l.state,
        collectedAt: when(l.collectedAt),
        lastError: l.state === 'STALE' ? l.lastError : null,
      })),
    },
    {
      name: 'Изменения',
      columns: [
        { key: 'schoolId', header: 'Код школы', type: 'text' },
        { key: 'field', header: 'Показатель', type: 'text', width: 36 },
        { key: 'before', header: 'Было', type: 'text' },
        { key: 'after', header: 'Стало', type: 'text' },
      ],
      rows: changes.map((c) => ({
        schoolId: c.schoolId,
        field: FIELD_RU[c.field] ?? c.field,
        before: changeText(c.field, c.before),
        after: changeText(c.field, c.after),
      })),
    },
  ];
}
