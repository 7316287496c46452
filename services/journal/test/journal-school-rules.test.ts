import { randomUUID } from 'node:crypto';
import { codes, startJournalWorld, type JournalWorld } from './journal-test-world';

let w: JournalWorld;
beforeAll(async () => {
  w = await startJournalWorld();
});
afterAll(async () => {
  await w?.close();
});

const key = () => `k-${randomUUID()}`;

describe('the school’s own rules', () => {
  it('the director adds a form of control with its weight; marks given with it carry that weight', async () => {
    const SET = `mutation($w: Float!) { setControlForm(schoolId: "s001", code: "PROJECT", name: "Проект", weight: $w) { code name weight } }`;
    expect(codes(await w.gql('s001.teacher', SET, { w: 2.5 }))).toEqual(['FORBIDDEN']);
    expect(codes(await w.gql('s001.director', SET, { w: 11 }))).toEqual(['BAD_USER_INPUT']);
    const set = await w.gql('s001.director', SET, { w: 2.5 });
    expect(set.data!.setControlForm).toEqual({ code: 'PROJECT', name: 'Проект', weight: 2.5 });
    const marks = await w.gql(
      's001.teacher',
      `mutation($l: ID!, $s: ID!, $k: String!) { enterMarks(lessonId: $l, marks: [{ studentId: $s, value: "5", controlForm: "PROJECT" }], idempotencyKey: $k) { weight controlForm { name } } }`,
      {
        l: await w.lesson(w.maths, w.dates.recent),
        s: w.id('Student', w.ids.petrov),
        k: key(),
      },
    );
    expect(marks.data!.enterMarks).toEqual([{ weight: 2.5, controlForm: { name: 'Проект' } }]);
    const forms = await w.gql('s001.parent', `{ controlForms(schoolId: "s001") { code weight } }`);
    expect(forms.data!.controlForms).toContainEqual({ code: 'PROJECT', weight: 2.5 });
  });

  it('the director widens the edit window: an older lesson becomes directly editable; a stale version is CONFLICT', async () => {
    const settings = await w.gql('s001.director', `{ journalSettings(schoolId: "s001") { editWindowDays version } }`);
    expect(settings.data!.journalSettings).toEqual({ editWindowDays: 3, version: 1 });
    const old = await w.lesson(w.maths, w.dates.old);
    const page = `query($l: ID!) { lessonJournal(lessonId: $l) { editWindowOpen } }`;
    expect((await w.gql('s001.deputy', page, { l: old })).data!.lessonJournal.editWindowOpen).toBe(false);
    const SET = `mutation($d: Int!, $v: Int!) { setEditWindow(schoolId: "s001", editWindowDays: $d, version: $v) { editWindowDays version } }`;
    expect(codes(await w.gql('s001.deputy', SET, { d: 14, v: 1 }))).toEqual(['FORBIDDEN']);
    expect((await w.gql('s001.director', SET, { d: 14, v: 1 })).data!.setEditWindow).toEqual({ editWindowDays: 14, version: 2 });
    expect((await w.gql('s001.deputy', page, { l: old })).data!.lessonJournal.editWindowOpen).toBe(true);
    expect(codes(await w.gql('s001.director', SET, { d: 3, v: 1 }))).toEqual(['CONFLICT']);
    const [audit] = await w.sql<{ n: string }>(`select count(*)::text as n from journal.audit where entity in ('SETTINGS', 'CONTROL_FORM')`);
    expect(audit!.n).toBe('2');
  });
});

describe('a token of another school is refused by this school’s instance, whatever it asks', () => {
  it.each([
    ['controlForms', `{ controlForms(schoolId: "s001") { code weight } }`],
    ['journalSettings', `{ journalSettings(schoolId: "s001") { editWindowDays } }`],
    ['_entities', `{ _entities(representations: [{ __typename: "School", id: "s001" }]) { __typename } }`],
    ['_service', `{ _service { sdl } }`],
  ])('%s answers FORBIDDEN (403) to s002 staff and parents, and data to s001', async (_field, query) => {
    for (const user of ['s002.director', 's002.teacher', 's002.parent']) {
      const answer = await w.gql(user, query);
      expect({ user, status: answer.status, codes: codes(answer), data: answer.data ?? null }).toEqual({ user, status: 403, codes: ['FORBIDDEN'], data: null });
    }
    const own = await w.gql('s001.teacher', query);
    expect(own.status).toBe(200);
    expect(own.errors).toBeUndefined();
  });
});
