import { axeCheck, formatViolations, loginThroughKeycloak, pageErrors, PHONE, screenshot } from './browser';
import { e2eWorld } from './stack';

/** The diary on a phone: a parent with children in two schools, the real gateway and the real demo data. */
describe('the diary', () => {
  const world = e2eWorld({ collectMonitoring: false });

  it('parent.multi on a 390×844 phone switches between two children in two schools; the week shows lessons; no serious accessibility violation', async () => {
    const page = await world.browser.newPage({ viewport: PHONE, phone: true });
    await loginThroughKeycloak(page, world.stack.appUrl, 'parent.multi');
    await page.waitForURL(/\/diary$/);
    const child = page.getByRole('combobox', { name: 'Ребёнок' });
    await child.waitFor();
    const options = await child.locator('option').allTextContents();
    expect(options).toHaveLength(2);
    expect(options.join(' | ')).toMatch(/^Михайлов Артём Олегович, 7Б \(Школа № 1\) \| Михайлова Ева Олеговна, 3А \(Гимназия № 2\)$/);
    await expect(page.getByText(/Михайлов Артём Олегович · 7Б · Школа № 1/).waitFor()).resolves.toBeUndefined();
    // The current week: five or six school days, each a card; the averages table below.
    await page.getByRole('table').waitFor();
    expect(await page.locator('.diary-day').count()).toBeGreaterThanOrEqual(5);

    await child.selectOption({ index: 1 });
    await page.getByText(/Михайлова Ева Олеговна · 3А · Гимназия № 2/).waitFor();
    await page.getByRole('table').waitFor();
    // A first look at the second child's diary has nothing "new" (the first child's marks are not counted as hers).
    expect(await page.getByText(/Новое с прошлого посещения/).count()).toBe(0);
    expect(await page.getByText(/^diary\./).count()).toBe(0);
    // Nothing wider than the phone: the page does not scroll sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    const violations = await axeCheck(page);
    expect(formatViolations(violations)).toBe('');
    await screenshot(page, 'diary-phone', { fullPage: false });
    expect(pageErrors(page).filter((e) => !e.includes('favicon'))).toEqual([]);
  });

  it('a past week shows marks with their forms of control and the subject averages', async () => {
    const page = await world.browser.newPage({ viewport: { width: 1366, height: 900 } });
    await loginThroughKeycloak(page, world.stack.appUrl, 's001.parent');
    await page.getByRole('table').waitFor();
    await page.getByRole('button', { name: 'Предыдущая неделя' }).click();
    await page.locator('.diary-marks .mark').first().waitFor();
    expect(await page.locator('.diary-marks .mark').count()).toBeGreaterThan(0);
    const averages = await page.getByRole('table').locator('tbody tr td:nth-child(2)').allTextContents();
    expect(averages.some((a) => /^\d,\d\d$/.test(a))).toBe(true);
    await screenshot(page, 'diary-desktop');
  });

  it('after a first visit the app reloads without a connection (service worker) and says the server is unreachable, not a blank page', async () => {
    const page = await world.browser.newPage({ viewport: PHONE, phone: true });
    await loginThroughKeycloak(page, world.stack.appUrl, 's001.parent');
    await page.getByRole('table').waitFor();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.context().setOffline(true);
    await page.reload();
    await page.getByRole('heading', { name: 'Дневник' }).waitFor();
    await page.getByText('Нет связи с сервером', { exact: false }).first().waitFor();
    await page.context().setOffline(false);
    // Back online, «Повторить» brings the diary.
    await page.getByRole('button', { name: 'Повторить' }).first().click();
    await page.getByRole('table').waitFor();
  });
});
