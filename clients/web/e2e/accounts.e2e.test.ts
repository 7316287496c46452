import type { Page } from 'playwright-core';
import { axeCheck, formatViolations, loginThroughKeycloak, pageErrors, PHONE } from './browser';
import { e2eWorld } from './stack';

/**
 * Single sign-on accounts on the real stack: the identity service's copy of
 * the demo realm's accounts, read through the gateway. A director sees their
 * school's accounts and a teacher's roles; district IT chooses a school. Only
 * reads: the demo realm is shared with the other test files, and
 * provisioning would create an account for every person of the school.
 */
describe('single sign-on accounts', () => {
  const world = e2eWorld({ collectMonitoring: false });

  // Identity reads every account from Keycloak at start, in the background: the list is there once that read is done.
  beforeAll(async () => {
    await world.stack.district.identity.sync.run();
  });

  /** Searches the list by a part of the name or login, and waits for the answer to be on the page. */
  async function search(page: Page, text: string): Promise<{ username: string; schoolIds: string[] }[]> {
    const answer = page.waitForResponse(
      (r) =>
        r.url().endsWith('/graphql') &&
        (r.request().postData() ?? '').includes('AccountsSearch') &&
        (r.request().postData() ?? '').includes(`"text":"${text}"`),
      { timeout: 30_000 },
    );
    await page.getByRole('searchbox', { name: 'ФИО или логин' }).fill(text);
    await page.getByRole('button', { name: 'Найти' }).click();
    const body = (await (await answer).json()) as { data: { accounts: { total: number; items: { username: string; schoolIds: string[] }[] } } };
    await page.getByRole('table', { name: `Учётные записи, найдено: ${body.data.accounts.total}` }).waitFor({ timeout: 15_000 });
    return body.data.accounts.items;
  }

  const usernames = (page: Page) =>
    page
      .getByRole('table', { name: /^Учётные записи, найдено/ })
      .locator('tbody tr td:nth-child(2)')
      .allTextContents();

  it('s001.director opens «Учётные записи»: s001’s accounts only, and s001.teacher’s roles', async () => {
    const page = await world.browser.newPage();
    await loginThroughKeycloak(page, world.stack.appUrl, 's001.director');
    await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Учётные записи' }).click();
    await page.waitForURL(/\/accounts$/, { timeout: 15_000 });
    await page.getByRole('heading', { level: 1, name: 'Учётные записи' }).waitFor();
    // The director's school is fixed, named from the registry.
    await page.getByText('Школа: Школа № 1 (s001)').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('combobox', { name: 'Школа' }).count()).toBe(0);

    // The first page: every account listed is bound to s001, and s002's teacher is not among them.
    const table = page.getByRole('table', { name: /^Учётные записи, найдено: \d+$/ });
    await table.waitFor({ timeout: 30_000 });
    const schools = await table.locator('tbody tr td:nth-child(4)').allTextContents();
    expect(schools.length).toBeGreaterThan(0);
    for (const cell of schools) expect(cell).toContain('Школа № 1 (s001)');
    expect(await usernames(page)).not.toContain('s002.teacher');

    // «teacher» matches both schools' teachers; the director is answered with their own school's only.
    const found = await search(page, 'teacher');
    expect(found.map((a) => a.username)).toContain('s001.teacher');
    expect(found.map((a) => a.username)).not.toContain('s002.teacher');
    expect(found.every((a) => a.schoolIds.includes('s001'))).toBe(true);
    const row = table.getByRole('row', { name: /Петров Иван/ });
    expect(await row.locator('td').nth(0).textContent()).toBe('s001.teacher');
    expect(await row.locator('td').nth(1).textContent()).toBe('учитель');
    expect(await row.locator('td').nth(3).textContent()).toBe('активна');
    expect(await usernames(page)).not.toContain('s002.teacher');
    expect(formatViolations(await axeCheck(page))).toBe('');

    // The teacher's account: the roles in Russian, and the roles a director may grant.
    await row.getByRole('link', { name: 'Петров Иван' }).click();
    await page.getByRole('heading', { level: 1, name: 'Петров Иван' }).waitFor({ timeout: 30_000 });
    const roles = page.getByRole('region', { name: 'Роли' });
    expect(await roles.locator('li > span').allTextContents()).toEqual(['учитель']);
    await roles.getByRole('button', { name: 'Снять роль «учитель»' }).waitFor();
    const grant = roles.getByRole('combobox', { name: 'Выдать роль' });
    expect(await grant.locator('option').allTextContents()).toEqual(['завуч', 'обучающийся', 'родитель']);
    expect(await page.getByRole('region', { name: 'Школы' }).getByRole('listitem').first().textContent()).toContain('Школа № 1 (s001)');
    await page.getByRole('heading', { name: 'История изменений' }).waitFor();
    expect(formatViolations(await axeCheck(page))).toBe('');

    // A change is confirmed in a dialog naming the person and the role; cancelled here (the realm is shared).
    await roles.getByRole('button', { name: 'Выдать…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Выдать роль «завуч»?' });
    await dialog.getByText('Петров Иван (s001.teacher) получит роль «завуч»', { exact: false }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    expect(formatViolations(await axeCheck(page))).toBe('');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Выдать…');

    // Back to the list as it was.
    await page.getByRole('link', { name: '← К списку' }).click();
    await page.waitForURL(/\/accounts\?q=teacher$/, { timeout: 15_000 });
    expect(pageErrors(page).filter((e) => !e.includes('/favicon.ico'))).toEqual([]);
    await page.context().close();
  });

  it('sso.admin chooses s002 in the school select and sees s002.teacher', async () => {
    const page = await world.browser.newPage();
    await loginThroughKeycloak(page, world.stack.appUrl, 'sso.admin');
    // District IT's only section: "/" leads to the accounts.
    await page.waitForURL(/\/accounts/, { timeout: 15_000 });
    const school = page.getByRole('combobox', { name: 'Школа' });
    await school.locator('option', { hasText: 'Гимназия № 2 (s002)' }).waitFor({ state: 'attached', timeout: 30_000 });
    expect(await school.locator('option').allTextContents()).toEqual(['Все школы', 'Школа № 1 (s001)', 'Гимназия № 2 (s002)', 'Лицей № 3 (s003)']);

    await school.selectOption('s002');
    await page.waitForURL(/school=s002/, { timeout: 15_000 });
    const found = await search(page, 'teacher');
    expect(found.map((a) => a.username)).toContain('s002.teacher');
    expect(found.map((a) => a.username)).not.toContain('s001.teacher');
    const row = page.getByRole('table', { name: /^Учётные записи, найдено/ }).getByRole('row', { name: /Иванова Мария/ });
    expect(await row.locator('td').nth(0).textContent()).toBe('s002.teacher');
    expect(await row.locator('td').nth(2).textContent()).toBe('Гимназия № 2 (s002)');
    // District IT grants every role: the account page offers the district roles too.
    await row.getByRole('link', { name: 'Иванова Мария' }).click();
    const grant = page.getByRole('region', { name: 'Роли' }).getByRole('combobox', { name: 'Выдать роль' });
    await grant.waitFor({ timeout: 30_000 });
    expect(await grant.locator('option').count()).toBe(9);
    expect(await page.getByRole('region', { name: 'Школы' }).getByRole('combobox', { name: 'Привязать к школе' }).locator('option').allTextContents()).toEqual([
      'Школа № 1 (s001)',
      'Лицей № 3 (s003)',
    ]);
    expect(formatViolations(await axeCheck(page))).toBe('');
    expect(pageErrors(page).filter((e) => !e.includes('/favicon.ico'))).toEqual([]);
    await page.context().close();
  });

  it('on a phone the list and the drift of the school fit the screen', async () => {
    const page = await world.browser.newPage({ phone: true });
    await loginThroughKeycloak(page, world.stack.appUrl, 's001.director');
    await page.goto(new URL('/accounts', world.stack.appUrl).href);
    await page.getByRole('table', { name: /^Учётные записи, найдено: \d+$/ }).waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(formatViolations(await axeCheck(page))).toBe('');

    // The drift is read from the school's people and Keycloak now; the demo school's people mostly have no account yet.
    await page.getByRole('tab', { name: 'Расхождения' }).click();
    await page.getByRole('heading', { name: 'Расхождения: Школа № 1 (s001)' }).waitFor();
    const list = page.getByRole('table', { name: 'Расхождения школы Школа № 1 (s001)' });
    await list
      .or(page.getByText('Расхождений нет', { exact: false }))
      .first()
      .waitFor({ timeout: 60_000 });
    expect(await page.getByRole('button', { name: 'Исправить расхождения' }).count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(formatViolations(await axeCheck(page))).toBe('');
    expect(pageErrors(page).filter((e) => !e.includes('/favicon.ico'))).toEqual([]);
    await page.context().close();
  });
});
