import type { MiddlewareFn } from 'type-graphql';
import { DomainError } from './errors';
import type { Viewer } from './viewer';

/**
 * The platform's access policy, in one place: its roles (Keycloak realm
 * roles), the named actions and who may take each one where. Services ask
 * `allows(viewer, action, schoolId)`; no role name appears outside this file.
 * Finer rules that need data (the lesson's own teacher, the students a
 * teacher teaches, a district admin's opened access) stay in each service,
 * after the action was allowed. docs/security.md says the same in words.
 */

export type Role = 'gateway' | 'teacher' | 'deputy' | 'school-admin' | 'student' | 'parent' | 'district-analyst' | 'district-admin' | 'portal' | 'sso-admin';

export const ROLES: readonly Role[] = [
  'teacher',
  'deputy',
  'school-admin',
  'student',
  'parent',
  'district-analyst',
  'district-admin',
  'portal',
  'sso-admin',
  'gateway',
];

/**
 * Roles that reach every school unless their token names some. The gateway's
 * service account reads the registry of every school, nothing else; district
 * IT (`sso-admin`) reads each school's people for their accounts, nothing
 * else (the actions say so). The state portal is not among them: it may run
 * only the safelisted integration operations, none of which reads a school
 * instance directly.
 */
export const DISTRICT_ROLES: readonly Role[] = ['district-analyst', 'district-admin', 'gateway', 'sso-admin'];
const STAFF: Role[] = ['teacher', 'deputy', 'school-admin'];
const LEADERS: Role[] = ['deputy', 'school-admin'];
const DISTRICT_READERS: Role[] = ['district-analyst', 'district-admin'];

/**
 * Where a grant holds:
 * - `own`: the token names the school (`school_ids`);
 * - `reach`: the token names the school, or it is a district role's token
 *   naming no school (which reaches every school);
 * - `district`: district-wide, no school involved.
 */
export type Scope = 'own' | 'reach' | 'district';

interface Grant {
  /** `*`: any token, whatever its roles. */
  roles: readonly Role[] | '*';
  scope: Scope;
}

interface ActionRule {
  grants: readonly Grant[];
  /** Roles refused even when a grant would allow them. */
  deny?: readonly Role[];
  /** The refusal a user reads (Russian); `{school}` is the school's id. */
  refusal: string;
}

const own = (...roles: Role[]): Grant => ({ roles, scope: 'own' });
const reach = (...roles: Role[]): Grant => ({ roles, scope: 'reach' });
const district = (...roles: Role[]): Grant => ({ roles, scope: 'district' });
const anyone = (scope: Scope): Grant => ({ roles: '*', scope });

export const ACTIONS = {
  // ---- reaching a school ------------------------------------------------------------------
  /** The district's registry of schools: any signed-in caller (each sees the schools they reach). */
  'registry:list': { grants: [anyone('district')], refusal: 'Нет доступа к реестру школ' },
  /** Reach a school instance at all; its terms, subjects, bells, rules of the journal (not district IT, which reaches only the people's accounts). */
  'school:reach': { grants: [anyone('own'), reach('district-analyst', 'district-admin', 'gateway')], refusal: 'Нет доступа к школе {school}' },
  /** The staff directory and class groups (no student's personal data). */
  'directory:read': { grants: [anyone('own'), reach(...DISTRICT_READERS)], refusal: 'Нет доступа к данным школы {school}' },
  /** The school's counts (students, class groups): its staff and the district. */
  'schoolCounts:read': { grants: [own(...STAFF), reach(...DISTRICT_READERS)], refusal: 'Нет доступа к показателям школы {school}' },
  /** The school's registry entry of any school, for account administration. */
  'registry:readAll': { grants: [district('sso-admin')], refusal: 'Нет доступа к реестру школ' },
  /** Where a school's instances answer (internal URLs). */
  'registry:readInstances': { grants: [district('district-admin', 'gateway')], refusal: 'Адреса служб школ видят только администраторы района' },
  'school:register': { grants: [district('district-admin')], refusal: 'Регистрировать школы может только администратор района' },

  // ---- the school's own work --------------------------------------------------------------
  /** Work as the school's staff: the whole timetable, the roster, lesson pages, grade sheets. */
  'staff:work': { grants: [own(...STAFF)], refusal: 'Это доступно сотрудникам школы {school}' },
  /** The whole school's timetable and class lists: its staff and a district admin. */
  'schedule:readWhole': { grants: [own(...STAFF), reach('district-admin')], refusal: 'Нет доступа к расписанию школы {school}' },
  /** Lists of students and guardians (personal data; each row is then filtered). */
  'students:list': { grants: [own(...STAFF), reach('district-admin')], refusal: 'Список обучающихся школы доступен её сотрудникам' },
  /** Manage the school: people, the timetable's building blocks, the journal's rules. */
  'school:manage': { grants: [own('school-admin')], refusal: 'Это может сделать только директор (администратор) школы {school}' },

  // ---- the journal -----------------------------------------------------------------------
  /** Enter and edit marks, attendance, topics, term grades (then: on the teacher's own lessons and classes). */
  'journal:enter': { grants: [own('teacher')], refusal: 'Записи в журнал вносят учителя этой школы' },
  /** Sign a change of the journal: its teachers, and its director for a closed term. */
  'journal:sign': { grants: [own('teacher', 'school-admin')], refusal: 'Записи в журнал вносят учителя этой школы' },
  /** Control how the journal is kept: corrections, fill state, entry history, every class's sheets, lessons, terms. */
  'journal:control': { grants: [own(...LEADERS)], refusal: 'Это может сделать только завуч или директор школы {school}' },
  /** Change entries of a closed term (with a reason): the director only. */
  'journal:override': { grants: [own('school-admin')], refusal: 'Период закрыт: исправить запись может только директор, указав причину' },
  /** Re-check the school's audit chain. */
  'audit:verify': {
    grants: [own(...LEADERS), reach('district-admin')],
    refusal: 'Проверка цепочки аудита доступна заместителю директора, директору и администратору округа',
  },

  // ---- figures and analytics --------------------------------------------------------------
  /** A school's aggregates: monthly figures, progress analytics (never names). */
  'aggregates:read': { grants: [own(...LEADERS), reach(...DISTRICT_READERS)], refusal: 'Нет доступа к показателям школы {school}' },
  /** Names of students at risk: only the school's own leaders, never a district role. */
  'atRisk:readNames': { grants: [own(...LEADERS)], deny: DISTRICT_READERS, refusal: 'Имена обучающихся видит только администрация их школы' },
  /** District totals across schools and the monitoring's collection runs. */
  'district:read': { grants: [district(...DISTRICT_READERS)], refusal: 'Итоги по району доступны аналитикам и администраторам района' },
  /** Start a collection of the month's figures. */
  'monitoring:collect': { grants: [district('district-admin')], refusal: 'Собирать показатели может только администратор района' },
  /** Record diary opens seen by the gateway. */
  'diaryOpens:record': { grants: [district('gateway')], refusal: 'Записывать открытия дневников может только шлюз' },

  // ---- personal data (docs/security.md) ----------------------------------------------------
  /** Every student's personal data in the school: its deputies and director. */
  'personal:readAll': {
    grants: [own(...LEADERS)],
    refusal: 'Персональные данные обучающегося видят его учителя, классный руководитель, завуч и директор школы, сам обучающийся и его родители',
  },
  /** The students a teacher teaches or whose class they lead. */
  'personal:readTaught': { grants: [own('teacher')], refusal: 'Персональные данные обучающегося видят его учителя и классный руководитель' },
  /** A student's own data. */
  'personal:readSelf': { grants: [own('student')], refusal: 'Обучающийся видит только свои данные' },
  /** A parent's children's data. */
  'personal:readChildren': { grants: [own('parent')], refusal: 'Родитель видит только данные своих детей' },
  /** A district admin opens (and then reads through) a logged access to one student's data. */
  'personal:openAccess': { grants: [reach('district-admin')], refusal: 'Открыть доступ к персональным данным может только администратор округа' },
  /** Who opened access to the school's students' data: its director and the district admins. */
  'personal:readAccessLog': {
    grants: [own('school-admin'), reach('district-admin')],
    refusal: 'Журнал доступа к персональным данным видят директор школы и администратор округа',
  },

  // ---- the state services portal (the portal subgraph, docs/portal.md) ----------------------
  /** Ask about a child as a verified applicant: the portal integration only (and only safelisted operations, at the gateway). */
  'portal:ask': { grants: [district('portal')], refusal: 'Запросы портала госуслуг выполняет только интеграция с порталом' },
  /**
   * A school's side of a portal question: match the applicant and the child, then answer. The district's
   * platform services only (the portal subgraph's own account, role gateway), never the outside portal, whose
   * every answer must pass the district's access log.
   */
  'portal:match': { grants: [reach('gateway')], refusal: 'Сведения для портала госуслуг школа передаёт только службе портала района' },
  /** Who asked about a child through the portal: the district admins. */
  'portal:readLog': { grants: [district('district-admin')], refusal: 'Журнал обращений портала госуслуг доступен администратору округа' },

  // ---- accounts (the identity subgraph) ---------------------------------------------------
  /** Read accounts, their roles, schools, sessions and the identity audit: district IT everywhere, a director for the school's people. */
  'accounts:read': {
    grants: [own('school-admin'), district('sso-admin')],
    refusal: 'Учётные записи видят администраторы единого входа района и директор школы {school}',
  },
  /** Create, enable and disable accounts, grant and revoke roles, bind schools (then: only the roles the caller may grant, never their own account). */
  'accounts:manage': {
    grants: [own('school-admin'), district('sso-admin')],
    refusal: 'Учётными записями управляют администраторы единого входа района и директор школы {school}',
  },
} as const satisfies Record<string, ActionRule>;

export type Action = keyof typeof ACTIONS;

const rule = (action: Action): ActionRule => ACTIONS[action];

function rolesMatch(viewer: Viewer, roles: Grant['roles']): boolean {
  return roles === '*' || viewer.has(...roles);
}

function inScope(viewer: Viewer, scope: Scope, schoolId: string | undefined): boolean {
  if (scope === 'district') return true;
  if (schoolId === undefined || schoolId === '') return false;
  return scope === 'own' ? viewer.schoolIds.includes(schoolId) : viewer.canReachSchool(schoolId);
}

/** May the viewer take the action (in the school, when the action is a school's)? */
export function allows(viewer: Viewer, action: Action, schoolId?: string): boolean {
  const r = rule(action);
  if (r.deny && viewer.has(...r.deny)) return false;
  return r.grants.some((g) => rolesMatch(viewer, g.roles) && inScope(viewer, g.scope, schoolId));
}

/** May the viewer take the action in at least one school (or district-wide)? */
export function allowsSomewhere(viewer: Viewer, action: Action): boolean {
  const r = rule(action);
  if (r.deny && viewer.has(...r.deny)) return false;
  return r.grants.some((g) => {
    if (!rolesMatch(viewer, g.roles)) return false;
    if (g.scope === 'district') return true;
    if (g.scope === 'own') return viewer.schoolIds.length > 0;
    return viewer.schoolIds.length > 0 || viewer.isDistrict;
  });
}

/** Throws FORBIDDEN (with the action's refusal, or the given one) unless the viewer may take the action. */
export function requireAction(viewer: Viewer, action: Action, schoolId?: string, refusal?: string): void {
  if (!allows(viewer, action, schoolId)) throw DomainError.forbidden(refusal ?? rule(action).refusal.replace('{school}', schoolId ?? ''));
}

/** The roles an action is granted to anywhere (for the authorization table's check). */
export function rolesGranted(action: Action): ReadonlySet<Role> {
  const roles = new Set<Role>();
  for (const g of rule(action).grants) for (const r of g.roles === '*' ? ROLES : g.roles) roles.add(r);
  for (const r of rule(action).deny ?? []) roles.delete(r);
  return roles;
}

/** The roles of a school's people, which its director hands out (and takes back). */
export const SCHOOL_ROLES: readonly Role[] = ['teacher', 'deputy', 'school-admin', 'student', 'parent'];
/** Roles a school's director may grant: the school roles but their own (school-admin is granted by district IT). */
const DIRECTOR_GRANTS: readonly Role[] = ['teacher', 'deputy', 'student', 'parent'];

/**
 * The roles the viewer may grant and revoke: district IT (`sso-admin`) every
 * role, the district roles included; a director the school roles but
 * `school-admin`. Where: the identity subgraph checks the account's schools.
 */
export function grantableRoles(viewer: Viewer): ReadonlySet<Role> {
  if (viewer.has('sso-admin')) return new Set(ROLES);
  if (viewer.has('school-admin')) return new Set(DIRECTOR_GRANTS);
  return new Set();
}

/** The school roles a person of the school may hold, by what they are in the school. */
export const ROLES_OF_PERSON: Readonly<Record<'STAFF' | 'STUDENT' | 'GUARDIAN', readonly Role[]>> = {
  STAFF: ['teacher', 'deputy', 'school-admin'],
  STUDENT: ['student'],
  GUARDIAN: ['parent'],
};

/** Does the viewer manage every account (district IT), rather than the accounts of their own schools? */
export function managesEveryAccount(viewer: Viewer): boolean {
  return viewer.has('sso-admin');
}

/** The platform role a Keycloak realm role name stands for, or undefined for any other role (Keycloak's own, e.g. offline_access). */
export function platformRole(name: string): Role | undefined {
  return (ROLES as readonly string[]).includes(name) ? (name as Role) : undefined;
}

/** Tokens that may run only the gateway's safelisted operations, whatever other roles they hold: the state portal's. */
export function runsSafelistedOnly(viewer: Viewer): boolean {
  return viewer.has('portal');
}

/** Who opened a diary, for the diary-use figures: a student (their own) or a parent. */
export const DIARY_READER_KINDS = ['student', 'parent'] as const satisfies readonly Role[];
export type DiaryReaderKind = (typeof DIARY_READER_KINDS)[number];

/** The kind of diary reader the viewer is, or undefined for anyone else. */
export function diaryReaderKind(viewer: Viewer): DiaryReaderKind | undefined {
  return DIARY_READER_KINDS.find((kind) => viewer.has(kind));
}

/**
 * Each service's operations and the action each one needs (its `access.ts`).
 * Keys are `Query.<field>` and `Mutation.<field>`.
 */
export type OperationRules = Readonly<Record<string, Action>>;

/**
 * Asks the policy before any root field runs: a field without a rule is
 * refused (fail closed), one whose action the viewer may not take is
 * refused before anything is loaded or validated. Finer rules (whose lesson,
 * which students) stay in the service. A school's instance checks the
 * action in its school; the district's services in any school.
 */
export function operationGuard(rules: OperationRules): MiddlewareFn<{ viewer?: Viewer; schoolId?: string }> {
  return ({ context, info }, next) => {
    const root = info.parentType === info.schema.getQueryType() ? 'Query' : info.parentType === info.schema.getMutationType() ? 'Mutation' : undefined;
    if (!root) return next();
    const operation = `${root}.${info.fieldName}`;
    const action = rules[operation];
    if (!action) throw DomainError.forbidden(`Для операции ${operation} не задано правило доступа`);
    const viewer = context.viewer;
    const allowed = viewer !== undefined && (context.schoolId ? allows(viewer, action, context.schoolId) : allowsSomewhere(viewer, action));
    if (!allowed) throw DomainError.forbidden(rule(action).refusal.replace('{school}', context.schoolId ?? ''));
    return next();
  };
}

/** The root fields of a schema that have no rule (a test lists them; the guard refuses them). */
export function operationsWithoutRule(
  schema: { getQueryType(): { getFields(): object } | null | undefined; getMutationType(): { getFields(): object } | null | undefined },
  rules: OperationRules,
): string[] {
  const federation = new Set(['_service', '_entities']);
  const ops = [
    ...Object.keys(schema.getQueryType()?.getFields() ?? {}).map((f) => `Query.${f}`),
    ...Object.keys(schema.getMutationType()?.getFields() ?? {}).map((f) => `Mutation.${f}`),
  ];
  return ops.filter((op) => !federation.has(op.split('.')[1]!) && !(op in rules));
}
