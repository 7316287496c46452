import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ACTIONS, allows, allowsSomewhere, diaryReaderKind, DomainError, requireAction, rolesGranted, ROLES, Viewer, type Action, type Role } from '../src';

const viewer = (roles: Role[], schoolIds: string[] = [], personId?: string) => new Viewer('sub', 'user', new Set(roles), schoolIds, personId, 'token');

describe('the access policy', () => {
  it.each<[string, Viewer, Action, string | undefined, boolean]>([
    ['a teacher of s001 enters the journal of s001', viewer(['teacher'], ['s001']), 'journal:enter', 's001', true],
    ['… not of s002', viewer(['teacher'], ['s001']), 'journal:enter', 's002', false],
    ['a deputy does not enter marks', viewer(['deputy'], ['s001']), 'journal:enter', 's001', false],
    ['a deputy controls the journal of their school', viewer(['deputy'], ['s001']), 'journal:control', 's001', true],
    ['a director signs journal changes (a closed term)', viewer(['school-admin'], ['s001']), 'journal:sign', 's001', true],
    ['a district analyst with no school list reads any school’s aggregates', viewer(['district-analyst']), 'aggregates:read', 's007', true],
    ['… but with a list only those schools', viewer(['district-analyst'], ['s001']), 'aggregates:read', 's002', false],
    ['a teacher reads no aggregates', viewer(['teacher'], ['s001']), 'aggregates:read', 's001', false],
    ['a district admin verifies any school’s audit', viewer(['district-admin']), 'audit:verify', 's003', true],
    ['a deputy reads at-risk names of their school', viewer(['deputy'], ['s001']), 'atRisk:readNames', 's001', true],
    ['a deputy who is also a district analyst does not (deny wins)', viewer(['deputy', 'district-analyst'], ['s001']), 'atRisk:readNames', 's001', false],
    ['a student reaches their school', viewer(['student'], ['s001']), 'school:reach', 's001', true],
    ['a token with no roles naming the school reaches it', viewer([], ['s001']), 'school:reach', 's001', true],
    ['the portal reaches no school without a school list', viewer(['portal']), 'school:reach', 's001', false],
    ['a school action without a school is refused', viewer(['teacher'], ['s001']), 'journal:enter', undefined, false],
    ['district actions need no school', viewer(['district-admin']), 'monitoring:collect', undefined, true],
    ['only the gateway records diary opens', viewer(['district-admin']), 'diaryOpens:record', undefined, false],
  ])('%s', (_what, who, action, school, expected) => {
    expect(allows(who, action, school)).toBe(expected);
  });

  it('allowsSomewhere: a deputy of some school reads aggregates somewhere; a teacher nowhere; a district role anywhere', () => {
    expect(allowsSomewhere(viewer(['deputy'], ['s001']), 'aggregates:read')).toBe(true);
    expect(allowsSomewhere(viewer(['deputy']), 'aggregates:read')).toBe(false);
    expect(allowsSomewhere(viewer(['teacher'], ['s001']), 'aggregates:read')).toBe(false);
    expect(allowsSomewhere(viewer(['district-analyst']), 'aggregates:read')).toBe(true);
  });

  it('requireAction refuses with FORBIDDEN and the action’s message naming the school', () => {
    let caught: unknown;
    try {
      requireAction(viewer(['teacher'], ['s001']), 'journal:control', 's001');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).code).toBe('FORBIDDEN');
    expect((caught as DomainError).message).toBe('Это может сделать только завуч или директор школы s001');
    expect(() => requireAction(viewer(['deputy'], ['s001']), 'journal:control', 's001')).not.toThrow();
  });

  it('rolesGranted lists the roles of an action’s grants, without denied ones', () => {
    expect([...rolesGranted('audit:verify')].sort()).toEqual(['deputy', 'district-admin', 'school-admin']);
    expect([...rolesGranted('atRisk:readNames')].sort()).toEqual(['deputy', 'school-admin']);
    expect(rolesGranted('school:reach').size).toBe(ROLES.length);
  });

  it('every action has a refusal in Russian and at least one grant', () => {
    for (const [name, rule] of Object.entries(ACTIONS)) {
      expect([name, rule.grants.length > 0]).toEqual([name, true]);
      expect([name, /[А-Яа-яЁё]/.test(rule.refusal)]).toEqual([name, true]);
    }
  });

  it('diaryReaderKind: a student, a parent, nobody else', () => {
    expect(diaryReaderKind(viewer(['student'], ['s001']))).toBe('student');
    expect(diaryReaderKind(viewer(['parent'], ['s001']))).toBe('parent');
    expect(diaryReaderKind(viewer(['teacher'], ['s001']))).toBeUndefined();
  });
});

describe('no role check outside the policy', () => {
  const root = join(__dirname, '..', '..', '..');
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'dist' || name === 'testing' ? [] : sources(path);
      return path.endsWith('.ts') ? [path] : [];
    });

  it('no source file but kit/src/policy.ts asks a viewer for a role by name', () => {
    const files = [
      ...['kit', 'people', 'schedule', 'journal', 'monitoring', 'identity', 'portal'].flatMap((s) => sources(join(root, 'services', s, 'src'))),
      ...sources(join(root, 'gateway', 'src')),
    ];
    expect(files.length).toBeGreaterThan(100);
    const roleCheck = new RegExp(`\\.(has|require)\\(\\s*'(${ROLES.join('|')})'`);
    const offenders = files
      .filter((f) => !f.endsWith(join('kit', 'src', 'policy.ts')))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => [f, i + 1, line] as const),
      )
      .filter(([, , line]) => roleCheck.test(line) || /\bviewer\??\.roles\b/.test(line))
      .map(([f, n, line]) => `${relative(root, f)}:${n}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });
});
