import type { EntityManager } from '@mikro-orm/postgresql';
import { allowsSomewhere, DomainError, ErrorCode, requestMeta, type Viewer } from '@district/kit';
import type { Express, Request, RequestHandler, Response } from 'express';
import type { Collector } from '../collection/collector';
import { MonitoringService } from '../collection/monitoring.service';
import type { MonitoringContext } from '../context';
import { monitoringSheets } from './monitoring-sheets';
import { fetchProgress } from '../analytics/progress-client';
import { progressSheets, progressQuery } from './progress-sheets';
import { writeCsv, writeXlsx, type ExportSheet } from './table-export';

export interface ExportDeps {
  collector: Collector;
  em: () => EntityManager;
  gatewayUrl: () => string | undefined;
}

const STATUS: Partial<Record<string, number>> = {
  [ErrorCode.InvalidInput]: 400,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.SchoolUnavailable]: 503,
};

function fail(res: Response, error: unknown, log: (e: unknown) => void): void {
  if (error instanceof DomainError) {
    res.status(STATUS[error.code] ?? 400).json({ errors: [{ message: error.message, extensions: { code: error.code } }] });
    return;
  }
  log(error);
  res.status(500).json({ errors: [{ message: 'Внутренняя ошибка при выгрузке', extensions: { code: ErrorCode.Internal } }] });
}

function format(req: Request): 'csv' | 'xlsx' {
  const f = String(req.params.format);
  if (f !== 'csv' && f !== 'xlsx') throw DomainError.invalid(`Формат выгрузки: csv или xlsx, получено «${f}»`, [{ field: 'format', message: 'csv | xlsx' }]);
  return f;
}

const query = (req: Request, name: string): string | undefined => {
  const v = req.query[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

/**
 * Sends sheets as XLSX (one sheet per section) or CSV (one section, chosen by
 * `?section=N`, 1-based): streamed, so a district-wide file is never held in
 * memory whole. Everything is validated before the first byte goes out.
 */
async function send(req: Request, res: Response, name: string, sheets: ExportSheet[]): Promise<void> {
  const f = format(req);
  if (f === 'xlsx') {
    res.status(200).type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.attachment(`${name}.xlsx`);
    await writeXlsx(sheets, res);
    return;
  }
  const section = Number(query(req, 'section') ?? 1);
  const sheet = sheets[section - 1];
  if (!Number.isInteger(section) || !sheet)
    throw DomainError.invalid(`Раздел ${query(req, 'section')} не существует: разделов ${sheets.length}`, [
      { field: 'section', message: `1…${sheets.length}` },
    ]);
  res.status(200).type('text/csv; charset=utf-8');
  res.attachment(`${name}${sheets.length > 1 ? `-${section}` : ''}.csv`);
  await writeCsv(sheet, res);
}

/**
 * File exports of the district's monitoring, behind the same token check as
 * /graphql and the same access rules as the GraphQL fields they mirror:
 * - GET /exports/monitoring.(csv|xlsx)?month=YYYY-MM[&version=N] — the month's
 *   closed report (latest or version N), or the current stored figures while
 *   the month is open; sections: figures per school, changes against the
 *   previous version.
 * - GET /exports/progress.(csv|xlsx)?from=&to= | academicYear=&termNumber=
 *   [&groupBy=CLASS_GROUP,SUBJECT] — progress analytics from every school the
 *   caller may see, through the gateway with the caller's own token (analysts
 *   get aggregates only; a deputy also the sheet of students at risk).
 */
export function exportRoutes(app: Express, authenticate: RequestHandler, deps: ExportDeps, log: (e: unknown) => void = () => undefined): void {
  const contextOf = (req: Request): MonitoringContext => ({
    viewer: (req as Request & { viewer: Viewer }).viewer,
    em: deps.em(),
    loaders: {},
    collector: deps.collector,
    ...requestMeta(req.headers),
  });

  app.get('/exports/monitoring.:format', authenticate, async (req, res) => {
    try {
      format(req);
      const month = query(req, 'month') ?? '';
      const version = query(req, 'version');
      const service = new MonitoringService(contextOf(req));
      const found = await service.report(month, version === undefined ? null : Number(version));
      const sheets = found
        ? monitoringSheets(
            found.report.schools.filter((s) => found.visible(s.schoolId)),
            found.report.changes.filter((c) => found.visible(c.schoolId)),
          )
        : monitoringSheets(await service.lines(month), []);
      await send(req, res, found ? `monitoring-${month}-v${found.report.version}` : `monitoring-${month}`, sheets);
    } catch (error) {
      if (res.headersSent) res.destroy(error as Error);
      else fail(res, error, log);
    }
  });

  app.get('/exports/progress.:format', authenticate, async (req, res) => {
    try {
      format(req);
      const viewer = contextOf(req).viewer;
      // Names only for a school's own deputy or director; district roles get the aggregates.
      const withNames = allowsSomewhere(viewer, 'atRisk:readNames');
      const request = progressQuery(req.query as Record<string, unknown>, withNames);
      const answer = await fetchProgress(deps.gatewayUrl(), req.headers.authorization ?? '', request);
      await send(req, res, `progress-${request.label}`, progressSheets(answer, withNames));
    } catch (error) {
      if (res.headersSent) res.destroy(error as Error);
      else fail(res, error, log);
    }
  });
}
