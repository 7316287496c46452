import { gqlAt, keycloakUrl, tokenFor } from '@district/kit/testing';
import type { Page } from 'playwright-core';
import { axeCheck, formatViolations, loginThroughKeycloak, pageErrors, PHONE, screenshot } from './browser';
import { e2eWorld } from './stack';

/**
 * The teacher's journal on the real stack: s001.teacher opens the latest
 * lesson of 5А maths in the grid, enters marks and an absence with the
 * keyboard and saves; and the same with the network cut, where the entries
 * wait in the browser's outbox, survive a reload and are sent once.
 */
// The e2e project's testTimeout is not applied per project by this jest version; the stack takes a minute to start.
jest.setTimeout(240_000);

describe('the teacher’s journal', () => {
  const world = e2eWorld({ collectMonitoring: false });

  const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date());
  const shift = (iso: string, days: number) => {
    const d = new Date(`${iso}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  };
  const ddmm = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}`;

  async function api<T = Record<string, any>>(query: string, variables: Record<string, unknown>): Promise<T> {
    const answer = await gqlAt<T>(world.stack.gatewayUrl, await tokenFor('s001.teacher'), query, variables);
    if (answer.errors) throw new Error(JSON.stringify(answer.errors));
    return answer.data!;
  }

  interface Page5A {
    lessonId: string;
    date: string;
    students: { id: string; fullName: string }[];
    marks: { id: string; studentId: string; value: string }[];
    attendance: { id: string; studentId: string; code: string }[];
  }

  /** The lesson the grid opens for entry: the latest one of 5А maths the teacher may still enter. */
  async function latestLesson(): Promise<Page5A> {
    const lessons = await api<{
      teacherLessons: { classGroup: { id: string; name: string }; subject: { id: string; name: string }; term: { id: string }; date: string }[];
    }>(
      `query($from: String!, $to: String!) { teacherLessons(schoolId: "s001", from: $from, to: $to) { date classGroup { id name } subject { id name } term { id } } }`,
      { from: shift(today(), -30), to: today() },
    );
    const maths = lessons.teacherLessons.filter((l) => l.classGroup.name === '5А' && l.subject.name === 'Математика').at(-1);
    if (!maths) throw new Error('the demo teacher has no 5А maths lesson in the last month');
    const data = await api(
      `query($c: ID!, $s: ID!, $t: ID!) { classJournal(classGroupId: $c, subjectId: $s, termId: $t) { students { id fullName }
        lessons { lesson { id date } editable marks { id studentId value } attendance { id studentId code } } } }`,
      { c: maths.classGroup.id, s: maths.subject.id, t: maths.term.id },
    );
    const page = (
      data.classJournal.lessons as { lesson: { id: string; date: string }; editable: boolean; marks: Page5A['marks']; attendance: Page5A['attendance'] }[]
    )
      .filter((l) => l.editable)
      .at(-1)!;
    // In the grid's order: by surname.
    const students = [...(data.classJournal.students as { id: string; fullName: string }[])].sort((x, y) => x.fullName.localeCompare(y.fullName, 'ru'));
    return { lessonId: page.lesson.id, date: page.lesson.date, students, marks: page.marks, attendance: page.attendance };
  }

  async function openGrid(page: Page): Promise<void> {
    await page.getByRole('link', { name: 'Журнал', exact: true }).click();
    const select = page.getByRole('combobox', { name: 'Класс и предмет' });
    await select.waitFor({ timeout: 30_000 });
    await select.selectOption({ label: '5А · Математика' });
    await page.getByRole('table', { name: /Журнал: обучающиеся по строкам/ }).waitFor({ timeout: 30_000 });
  }

  const cell = (page: Page, fullName: string, date: string) => page.getByRole('textbox', { name: `${fullName}, урок ${ddmm(date)}` });

  it('s001.teacher enters marks and an absence with the keyboard, saves, the API has exactly those, and the parent sees exactly the child’s marks in the diary on a phone', async () => {
    const before = await latestLesson();
    const noAbsence = before.students.filter((s) => !before.attendance.some((a) => a.studentId === s.id));
    // The first mark goes to the demo student, whose parent (s001.parent) then reads it in the diary.
    const child = noAbsence.find((s) => s.fullName.startsWith('Смирнов Алексей'))!;
    const others = noAbsence.filter((s) => s !== child);
    const [a, b, c] = [child, others[0]!, others[1]!];

    const page = await world.browser.newPage();
    await loginThroughKeycloak(page, world.stack.appUrl, 's001.teacher');
    await page.getByRole('heading', { name: 'Уроки на сегодня' }).waitFor({ timeout: 30_000 });
    await openGrid(page);

    // 5 Enter 4/5 Enter Н — in three students' rows; Esc takes a slip back.
    await cell(page, a.fullName, before.date).click();
    await page.keyboard.type('5');
    await cell(page, b.fullName, before.date).click();
    await page.keyboard.type('3');
    await page.keyboard.press('Escape');
    await page.keyboard.type('4/5');
    await cell(page, c.fullName, before.date).click();
    await page.keyboard.type('Н');
    // A value outside the scale is refused in the cell, before any request.
    const d = others[2]!;
    await cell(page, d.fullName, before.date).click();
    await page.keyboard.type('7');
    await page.getByRole('alert').getByText('«7» — вне шкалы: отметки от 1 до 5').waitFor();
    expect(await page.getByRole('button', { name: 'Сохранить (3 ученика)' }).isDisabled()).toBe(true);
    await page.keyboard.press('Backspace');

    expect(formatViolations(await axeCheck(page, { include: '.journal-card' }))).toBe('');
    await screenshot(page, 'teacher-journal-desktop');

    await page.getByRole('button', { name: 'Сохранить (3 ученика)' }).click();
    await page.getByText('Сохранено: 3 ученика').waitFor({ timeout: 30_000 });

    const after = await latestLesson();
    expect(after.lessonId).toBe(before.lessonId);
    const added = after.marks.filter((m) => !before.marks.some((x) => x.id === m.id));
    expect(added.map((m) => [m.studentId, m.value]).sort()).toEqual(
      [
        [a.id, '5'],
        [b.id, '4'],
        [b.id, '5'],
      ].sort(),
    );
    const absences = after.attendance.filter((x) => !before.attendance.some((y) => y.id === x.id));
    expect(absences.map((x) => [x.studentId, x.code])).toEqual([[c.id, 'ABSENT']]);
    // The saved entries are in the grid now, not waiting.
    expect(await page.locator('.journal-cell__pending').count()).toBe(0);
    // (The app shell has no favicon yet: that 404 is not the journal's.)
    expect(pageErrors(page).filter((e) => !e.includes('/favicon.ico'))).toEqual([]);
    await page.context().close();

    // The parent, on a phone, finds exactly the child's marks of that lesson in the diary.
    const childMarks = after.marks
      .filter((m) => m.studentId === a.id)
      .map((m) => m.value)
      .sort();
    expect(childMarks).toContain('5');
    const parent = await world.browser.newPage({ viewport: PHONE, phone: true });
    await loginThroughKeycloak(parent, world.stack.appUrl, 's001.parent');
    await parent.getByRole('table').waitFor({ timeout: 30_000 });
    const monday = (iso: string) => shift(iso, -((new Date(`${iso}T00:00:00Z`).getUTCDay() + 6) % 7));
    const weeksBack = Math.round((Date.parse(monday(today())) - Date.parse(monday(before.date))) / (7 * 86_400_000));
    for (let i = 0; i < weeksBack; i++) await parent.getByRole('button', { name: 'Предыдущая неделя' }).click();
    const day = parent.locator(`section[aria-labelledby="day-${before.date}"]`);
    await day.waitFor({ timeout: 30_000 });
    const lesson = day.locator('.diary-lesson').filter({ hasText: 'Математика' });
    await lesson.locator('.mark').first().waitFor({ timeout: 30_000 });
    const shown = (await lesson.locator('.mark').allTextContents()).map((t) => t.replace(/×.*$/, '').trim()).sort();
    expect(shown).toEqual(childMarks);
    await parent.context().close();
  });

  it('offline: three marks wait in the outbox, survive a reload, and are saved once when the network returns', async () => {
    const before = await latestLesson();
    const [a, b, c] = before.students.slice(-3);

    const page = await world.browser.newPage();
    await loginThroughKeycloak(page, world.stack.appUrl, 's001.teacher');
    await page.getByRole('heading', { name: 'Уроки на сегодня' }).waitFor({ timeout: 30_000 });
    await openGrid(page);

    await page.context().setOffline(true);
    await cell(page, a!.fullName, before.date).click();
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    await page.keyboard.type('4');
    await page.keyboard.press('Enter');
    await page.keyboard.type('3');
    await page.getByRole('button', { name: 'Сохранить (3 ученика)' }).click();
    await page.getByText('Нет связи: 3 записи ждут отправки').waitFor({ timeout: 30_000 });
    expect(await page.locator('.journal-cell__pending').allTextContents()).toEqual(['5 ждёт отправки', '4 ждёт отправки', '3 ждёт отправки']);

    // A reload with the API still unreachable: the app comes up, the request is still in IndexedDB and is shown as waiting.
    await page.route('**/graphql', (route) => route.abort('internetdisconnected'));
    await page.context().setOffline(false);
    await page.reload();
    await page.getByText('1 запрос ждёт отправки', { exact: false }).waitFor({ timeout: 30_000 });
    const stored = await page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('district-journal-outbox');
          open.onsuccess = () => {
            const count = open.result.transaction('outbox').objectStore('outbox').count();
            count.onsuccess = () => resolve(count.result);
            count.onerror = () => reject(count.error);
          };
          open.onerror = () => reject(open.error);
        }),
    );
    expect(stored).toBe(1);
    expect((await latestLesson()).marks).toHaveLength(before.marks.length);

    // The network comes back: the browser says so, and the outbox is sent.
    await page.context().setOffline(true);
    await page.unroute('**/graphql');
    await page.context().setOffline(false);
    await page.getByText('ждёт отправки').first().waitFor({ state: 'detached', timeout: 30_000 });

    const after = await latestLesson();
    const added = after.marks.filter((m) => !before.marks.some((x) => x.id === m.id));
    expect(added.map((m) => [m.studentId, m.value]).sort()).toEqual(
      [
        [a!.id, '5'],
        [b!.id, '4'],
        [c!.id, '3'],
      ].sort(),
    );
    // Once: another reload (another start of the app) sends nothing more.
    await page.reload();
    await page.getByRole('table', { name: /Журнал: обучающиеся по строкам/ }).waitFor({ timeout: 30_000 });
    expect((await latestLesson()).marks).toHaveLength(before.marks.length + 3);
    await page.context().close();
  });

  it('an expired session sends the teacher to Keycloak’s login form; entries queued offline are kept and sent once after the login', async () => {
    const before = await latestLesson();
    const noAbsence = before.students.filter((s) => !before.attendance.some((x) => x.studentId === s.id));
    // Not the students the other tests write to (a lesson holds at most three marks a student).
    const [a, b] = noAbsence.slice(-6, -4);

    const page = await world.browser.newPage();
    await loginThroughKeycloak(page, world.stack.appUrl, 's001.teacher');
    await page.getByRole('heading', { name: 'Уроки на сегодня' }).waitFor({ timeout: 30_000 });
    await openGrid(page);

    await page.context().setOffline(true);
    await cell(page, a!.fullName, before.date).click();
    await page.keyboard.type('4');
    await cell(page, b!.fullName, before.date).click();
    await page.keyboard.type('5');
    await page.getByRole('button', { name: 'Сохранить (2 ученика)' }).click();
    await page.getByText('Нет связи: 2 записи ждут отправки').waitFor({ timeout: 30_000 });

    // The session ends while the laptop is offline: district IT (or Keycloak's idle timeout) ends it
    // server-side, and the browser's access token runs out (its expiry moved to the past).
    const admin = await tokenFor('sso.admin');
    const users = (await (
      await fetch(`${keycloakUrl()}/admin/realms/district/users?username=s001.teacher&exact=true`, { headers: { authorization: `Bearer ${admin}` } })
    ).json()) as { id: string }[];
    expect(users).toHaveLength(1);
    const logout = await fetch(`${keycloakUrl()}/admin/realms/district/users/${users[0]!.id}/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(logout.status).toBe(204);
    const expired = await page.evaluate(() => {
      const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'));
      if (!key) return false;
      const user = JSON.parse(sessionStorage.getItem(key)!) as { expires_at: number };
      user.expires_at = Math.floor(Date.now() / 1000) - 60;
      sessionStorage.setItem(key, JSON.stringify(user));
      return true;
    });
    expect(expired).toBe(true);

    // Back online, but the API still unreachable for a moment: nothing is sent with the old token.
    await page.route('**/graphql', (route) => route.abort('internetdisconnected'));
    await page.context().setOffline(false);
    await page.reload();
    // The app sends the teacher to Keycloak, whose session is over: the login form, not a silent return.
    await page.locator('#username').waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toContain('/protocol/openid-connect/auth');
    expect((await latestLesson()).marks).toHaveLength(before.marks.length);

    await page.unroute('**/graphql');
    await page.locator('#username').fill('s001.teacher');
    await page.locator('#password').fill('demo');
    await page.locator('#password').press('Enter');
    // Back where the teacher was, and the waiting entries go out with the new session's token.
    await page.getByRole('table', { name: /Журнал: обучающиеся по строкам/ }).waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe('/journal');
    await page.getByText('ждёт отправки').first().waitFor({ state: 'detached', timeout: 30_000 });

    const after = await latestLesson();
    const added = after.marks.filter((m) => !before.marks.some((x) => x.id === m.id));
    expect(added.map((m) => [m.studentId, m.value]).sort()).toEqual(
      [
        [a!.id, '4'],
        [b!.id, '5'],
      ].sort(),
    );
    await page.context().close();
  });

  it('the class teacher also opens the other subjects of their class, and sets term grades from the proposed ones', async () => {
    const before = await latestLesson();
    const led = await api<{ myClassGroups: { id: string; name: string }[] }>(`query { myClassGroups(schoolId: "s001") { id name } }`, {});
    expect(led.myClassGroups.map((c) => c.name)).toContain('5А');

    const page = await world.browser.newPage();
    await loginThroughKeycloak(page, world.stack.appUrl, 's001.teacher');
    await page.getByRole('heading', { name: 'Уроки на сегодня' }).waitFor({ timeout: 30_000 });
    await openGrid(page);
    const labels = await page.getByRole('combobox', { name: 'Класс и предмет' }).locator('option').allTextContents();
    expect(labels.filter((l) => l.startsWith('5А · ') && l.endsWith('(классное руководство)')).length).toBeGreaterThan(0);

    const sheetOf = async () => {
      const lessons = await api<{
        teacherLessons: { classGroup: { id: string; name: string }; subject: { id: string; name: string }; term: { id: string } }[];
      }>(
        `query($from: String!, $to: String!) { teacherLessons(schoolId: "s001", from: $from, to: $to) { classGroup { id name } subject { id name } term { id } } }`,
        { from: shift(before.date, -1), to: shift(before.date, 1) },
      );
      const l = lessons.teacherLessons.find((x) => x.classGroup.name === '5А' && x.subject.name === 'Математика')!;
      const data = await api<{ termGradeSheet: { rows: { studentId: string; proposed: string | null; grade: { value: string } | null }[] } }>(
        `query($c: ID!, $s: ID!, $t: ID!) { termGradeSheet(classGroupId: $c, subjectId: $s, termId: $t) { rows { studentId proposed grade { value } } } }`,
        { c: l.classGroup.id, s: l.subject.id, t: l.term.id },
      );
      return data.termGradeSheet.rows;
    };
    const rowsBefore = await sheetOf();
    const expected = rowsBefore.filter((r) => !r.grade && r.proposed);
    expect(expected.length).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Выставить итоговые отметки за период' }).click();
    const form = page.getByRole('form', { name: 'Итоговые отметки за период' });
    await form.getByRole('table').waitFor({ timeout: 30_000 });
    await form.getByRole('button', { name: 'Подставить предлагаемые там, где не выбрано' }).click();
    const save = form.getByRole('button', { name: /^Сохранить \(\d+ отмет/ });
    expect(Number(/\((\d+)/.exec((await save.textContent()) ?? '')?.[1])).toBe(expected.length);
    expect(formatViolations(await axeCheck(page, { include: '.term-grades' }))).toBe('');
    await save.click();
    await form
      .getByRole('status')
      .filter({ hasText: /^Сохранен/ })
      .waitFor({ timeout: 30_000 });

    const rowsAfter = await sheetOf();
    for (const r of expected) expect(rowsAfter.find((x) => x.studentId === r.studentId)?.grade?.value).toBe(r.proposed);
    // Grades already set before are untouched.
    for (const r of rowsBefore.filter((x) => x.grade)) expect(rowsAfter.find((x) => x.studentId === r.studentId)?.grade?.value).toBe(r.grade!.value);
    await page.context().close();
  });

  it('today’s lessons on a phone', async () => {
    const page = await world.browser.newPage({ phone: true });
    await loginThroughKeycloak(page, world.stack.appUrl, 's001.teacher');
    await page.getByRole('heading', { name: 'Уроки на сегодня' }).waitFor({ timeout: 30_000 });
    await page.locator('.today-lesson, #no-lessons').first().waitFor({ timeout: 30_000 });
    await page
      .getByRole('status')
      .filter({ hasText: 'Загрузка' })
      .first()
      .waitFor({ state: 'detached', timeout: 30_000 })
      .catch(() => undefined);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(formatViolations(await axeCheck(page))).toBe('');
    await screenshot(page, 'teacher-today-phone', { fullPage: true });
    expect(pageErrors(page).filter((e) => !e.includes('/favicon.ico'))).toEqual([]);
    await page.context().close();
  });
});
