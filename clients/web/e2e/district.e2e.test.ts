import { readFileSync, statSync } from 'node:fs';
import { axeCheck, formatViolations, loginThroughKeycloak, pageErrors, PHONE, screenshot } from './browser';
import { e2eWorld } from './stack';

/**
 * The district dashboard on the real stack: three schools whose last and
 * current months' monitoring was collected at start; an analyst reads and
 * downloads, a district admin collects again.
 */
describe('the district dashboard', () => {
  // Progress analytics take the schools up to seconds on this shared 2-core machine (while other test files run):
  // a longer school timeout than the harness's 3 s keeps "slow" from reading as "down". A stopped school still fails at once.
  const world = e2eWorld({ schoolTimeoutMs: 10_000 });

  it('analyst sees the month’s monitoring of the three schools, downloads the XLSX, and the page passes axe', async () => {
    const page = await world.browser.newPage({ context: { acceptDownloads: true } });
    await loginThroughKeycloak(page, world.stack.appUrl, 'analyst');
    // The analyst's only section: "/" leads to the dashboard.
    await page.waitForURL(/\/district/, { timeout: 15_000 });
    const table = page.getByRole('table', { name: /Мониторинг ведения электронного журнала/ });
    await table.waitFor({ timeout: 30_000 });
    for (const name of ['Школа № 1', 'Гимназия № 2', 'Лицей № 3']) await table.getByRole('row', { name: new RegExp(name) }).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(3);
    expect(await table.getByText('собрано', { exact: true }).count()).toBe(3);
    await table.getByRole('row', { name: /Район: 3 шк\./ }).waitFor();
    // Analysts read; only a district admin collects.
    expect(await page.getByRole('button', { name: /Собрать данные/ }).count()).toBe(0);

    const download = page.waitForEvent('download', { timeout: 30_000 });
    await page.getByRole('button', { name: 'Excel (XLSX)' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^monitoring-\d{4}-\d{2}.*\.xlsx$/);
    const path = await file.path();
    expect(statSync(path).size).toBeGreaterThan(0);
    expect(readFileSync(path).subarray(0, 2).toString('latin1')).toBe('PK');
    await page.getByText(/Файл .*\.xlsx скачан/).waitFor();

    expect(formatViolations(await axeCheck(page))).toBe('');
    await screenshot(page, 'district-monitoring-desktop', { fullPage: true });

    // Progress analytics: a chart (echarts canvas) and its table, by school.
    await page.getByRole('tab', { name: 'Успеваемость' }).click();
    const progress = page.getByRole('table', { name: /Успеваемость по школам/ });
    await progress.waitFor({ timeout: 30_000 });
    await page.locator('.district-chart canvas').first().waitFor();
    expect(await progress.locator('tbody tr').count()).toBe(3);
    expect(formatViolations(await axeCheck(page))).toBe('');
    await screenshot(page, 'district-progress-desktop', { fullPage: true });

    // Trends and report versions.
    await page.getByRole('tab', { name: 'Динамика и версии отчёта' }).click();
    await page.getByRole('table', { name: /по месяцам/ }).waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: /Версия 1/ }).waitFor({ timeout: 30_000 });
    expect(formatViolations(await axeCheck(page))).toBe('');
    await screenshot(page, 'district-trends-desktop', { fullPage: true });
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  it('on a phone the dashboard fits the screen', async () => {
    const page = await world.browser.newPage({ phone: true });
    await loginThroughKeycloak(page, world.stack.appUrl, 'analyst');
    // A card per school instead of the wide table.
    const cards = page.locator('.district-card');
    await cards.first().waitFor({ timeout: 30_000 });
    expect(await cards.count()).toBe(4);
    expect(await page.getByRole('table', { name: /Мониторинг ведения электронного журнала/ }).isVisible()).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(formatViolations(await axeCheck(page))).toBe('');
    await screenshot(page, 'district-monitoring-phone', { fullPage: true });
    await page.context().close();
  });

  it('district.admin starts a collection and sees it finish with every school’s outcome', async () => {
    const page = await world.browser.newPage();
    await loginThroughKeycloak(page, world.stack.appUrl, 'district.admin');
    const start = page.getByRole('button', { name: /Собрать данные за/ });
    await start.waitFor({ timeout: 30_000 });
    await start.click();
    await page.getByText('все школы ответили').waitFor({ timeout: 60_000 });
    const outcome = page.locator('.district-run table');
    for (const id of ['s001', 's002', 's003']) await outcome.getByRole('row', { name: new RegExp(`\\(${id}\\)`) }).waitFor();
    expect(await outcome.getByText('собрано', { exact: true }).count()).toBe(3);
    expect(await start.isEnabled()).toBe(true);
    expect(formatViolations(await axeCheck(page))).toBe('');
    await screenshot(page, 'district-collection-desktop');
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  it('a school that does not answer: the collection marks it stale with its error, the others’ data is shown and the school is named', async () => {
    await world.stack.district.stopSchool('s002');
    const page = await world.browser.newPage();
    await loginThroughKeycloak(page, world.stack.appUrl, 'district.admin');
    const start = page.getByRole('button', { name: /Собрать данные за/ });
    await start.waitFor({ timeout: 30_000 });
    await start.click();
    await page.getByText('часть школ не ответила').waitFor({ timeout: 60_000 });
    const outcome = page.locator('.district-run table');
    const s002 = outcome.getByRole('row', { name: /\(s002\)/ });
    await s002.getByText('данные устарели').waitFor();
    expect(await s002.getByRole('cell').nth(1).textContent()).toBe('2');

    // The month's table: s002 keeps its last good figures, marked, with the error and when they were collected.
    const table = page.getByRole('table', { name: /Мониторинг ведения электронного журнала/ });
    await table
      .getByRole('row', { name: /Гимназия № 2/ })
      .getByText('данные устарели')
      .waitFor({ timeout: 30_000 });
    expect(await table.getByText('собрано', { exact: true }).count()).toBe(2);
    const warning = page.getByRole('status').filter({ hasText: 'Данные некоторых школ не обновлены' });
    expect(await warning.textContent()).toMatch(/Гимназия № 2 \(s002\).*SCHOOL_UNAVAILABLE.*Показаны данные последнего успешного сбора/);
    expect(formatViolations(await axeCheck(page))).toBe('');
    await screenshot(page, 'district-stale-desktop', { fullPage: true });

    // Live analytics: the two schools that answer, and the one that does not, named.
    await page.getByRole('tab', { name: 'Успеваемость' }).click();
    const progress = page.getByRole('table', { name: /Успеваемость по школам/ });
    await progress.waitFor({ timeout: 30_000 });
    expect(await progress.locator('tbody tr').count()).toBe(2);
    await page.getByText('Не ответила школа Гимназия № 2 (s002) — показаны данные остальных школ. Повторите позже.').waitFor();
    await page.context().close();
  });
});
