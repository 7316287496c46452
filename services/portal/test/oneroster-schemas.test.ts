import {
  forbidden,
  internalServerError,
  invalidData,
  invalidFilterField,
  invalidRequestBody,
  invalidSelectionField,
  serverBusy,
  unauthorisedRequest,
  unknownObject,
} from '../src/oneroster/errors';
import {
  compileOneRosterSchemas,
  ONEROSTER_SCHEMA_NAMES,
  RESPONSE_SCHEMA,
  type OneRosterSchemaError,
  type OneRosterSchemaName,
} from '../src/oneroster/schemas';

/**
 * The OneRoster 1.2 response schemas: a realistic document of each kind passes, and each way the spec forbids
 * breaking it fails with the error that names the rule. No database.
 */

const validate = compileOneRosterSchemas();
const BASE = 'https://portal.district.example/ims/oneroster/rostering/v1p2';
const GRADEBOOK = 'https://portal.district.example/ims/oneroster/gradebook/v1p2';
const MODIFIED = '2026-09-01T06:30:00Z';

type Doc = Record<string, unknown>;

function ref(type: string, sourcedId: string, base = BASE): Doc {
  const collection = { academicSession: 'academicSessions', class: 'classes', category: 'categories', lineItem: 'lineItems' }[type] ?? `${type}s`;
  return { href: `${base}/${collection}/${sourcedId}`, sourcedId, type };
}

const school = (): Doc => ({
  sourcedId: 's001',
  status: 'active',
  dateLastModified: MODIFIED,
  name: 'МБОУ «Школа № 1»',
  type: 'school',
  identifier: '001',
  parent: ref('org', 'district'),
  metadata: { inn: '7701234567' },
});

const term = (): Doc => ({
  sourcedId: 'y2026-t1',
  status: 'active',
  dateLastModified: MODIFIED,
  title: '1 четверть',
  startDate: '2026-09-01',
  endDate: '2026-10-26',
  type: 'term',
  parent: ref('academicSession', 'y2026'),
  schoolYear: '2027',
});

const course = (): Doc => ({
  sourcedId: 'c-math-5',
  status: 'active',
  dateLastModified: MODIFIED,
  title: 'Математика, 5 класс',
  courseCode: 'MATH-5',
  grades: ['05'],
  subjects: ['Математика'],
  org: ref('org', 's001'),
  schoolYear: ref('academicSession', 'y2026'),
});

const klass = (): Doc => ({
  sourcedId: 's001-5a-math',
  status: 'active',
  dateLastModified: MODIFIED,
  title: '5А — Математика',
  classCode: '5А-МАТ',
  classType: 'scheduled',
  location: 'Кабинет 21',
  grades: ['05'],
  subjects: ['Математика'],
  course: ref('course', 'c-math-5'),
  school: ref('org', 's001'),
  terms: [ref('academicSession', 'y2026-t1')],
  periods: ['2', '4'],
});

const student = (): Doc => ({
  sourcedId: 'u-ivanova-anna',
  status: 'active',
  dateLastModified: MODIFIED,
  enabledUser: 'true',
  givenName: 'Анна',
  familyName: 'Иванова',
  middleName: 'Сергеевна',
  roles: [{ roleType: 'primary', role: 'student', org: ref('org', 's001'), beginDate: '2026-09-01' }],
  userIds: [{ type: 'snils', identifier: '123-456-789 01' }],
  primaryOrg: ref('org', 's001'),
  agents: [ref('user', 'u-ivanov-sergey')],
  grades: ['05'],
  email: 'anna.ivanova@s001.example',
  userProfiles: [
    {
      profileId: 'urn:district:profile:anna',
      profileType: 'journal',
      vendorId: 'district',
      credentials: [{ type: 'password', username: 'ivanova.a', hint: 'kept: CredentialDType allows more' }],
    },
  ],
});

const enrollment = (): Doc => ({
  sourcedId: 'e-ivanova-5a-math',
  status: 'active',
  dateLastModified: MODIFIED,
  user: ref('user', 'u-ivanova-anna'),
  class: ref('class', 's001-5a-math'),
  school: ref('org', 's001'),
  role: 'student',
  beginDate: '2026-09-01',
  endDate: '2027-06-01',
});

const category = (): Doc => ({
  sourcedId: 'cat-control',
  status: 'active',
  dateLastModified: MODIFIED,
  title: 'Контрольные работы',
  weight: 2,
});

const lineItem = (): Doc => ({
  sourcedId: 'li-5a-math-kr1',
  status: 'active',
  dateLastModified: MODIFIED,
  title: 'Контрольная работа № 1 «Натуральные числа»',
  description: 'Письменная работа на уроке',
  assignDate: '2026-09-21T05:00:00Z',
  dueDate: '2026-09-21T06:30:00Z',
  class: ref('class', 's001-5a-math'),
  school: ref('org', 's001'),
  category: ref('category', 'cat-control', GRADEBOOK),
  gradingPeriod: ref('academicSession', 'y2026-t1'),
  resultValueMin: 2,
  resultValueMax: 5,
});

const result = (): Doc => ({
  sourcedId: 'r-li-5a-math-kr1-ivanova',
  status: 'active',
  dateLastModified: MODIFIED,
  lineItem: ref('lineItem', 'li-5a-math-kr1', GRADEBOOK),
  student: ref('user', 'u-ivanova-anna'),
  class: ref('class', 's001-5a-math'),
  scoreStatus: 'fully graded',
  score: 5,
  scoreDate: '2026-09-22',
  comment: 'Отлично, без ошибок',
  late: 'false',
});

function expectValid(name: OneRosterSchemaName, document: unknown): void {
  expect(validate(name, document)).toEqual([]);
}

/** The document fails, and among its errors is one with this keyword at this path (and these params). */
function expectError(
  name: OneRosterSchemaName,
  document: unknown,
  keyword: string,
  instancePath: string,
  params?: Record<string, unknown>,
): OneRosterSchemaError[] {
  const errors = validate(name, document);
  expect(errors).toContainEqual(expect.objectContaining({ keyword, instancePath, ...(params ? { params: expect.objectContaining(params) } : {}) }));
  return errors;
}

function without(document: Doc, key: string): Doc {
  const copy = { ...document };
  delete copy[key];
  return copy;
}

interface EntityCase {
  readonly name: OneRosterSchemaName;
  readonly set: OneRosterSchemaName;
  readonly single: OneRosterSchemaName;
  readonly setKey: string;
  readonly singleKey: string;
  readonly build: () => Doc;
  /** Properties the spec requires besides sourcedId, status, dateLastModified. */
  readonly required: readonly string[];
  /** A property holding an enumerated value, and a value outside the vocabulary. */
  readonly enumProperty: string;
  readonly unknownValue: string;
  /** Whether the vocabulary takes 'ext:' values. */
  readonly extensible: boolean;
}

const ENTITIES: readonly EntityCase[] = [
  {
    name: 'Org',
    set: 'OrgSet',
    single: 'SingleOrg',
    setKey: 'orgs',
    singleKey: 'org',
    build: school,
    required: ['name', 'type', 'identifier'],
    enumProperty: 'type',
    unknownValue: 'gymnasium',
    extensible: true,
  },
  {
    name: 'AcademicSession',
    set: 'AcademicSessionSet',
    single: 'SingleAcademicSession',
    setKey: 'academicSessions',
    singleKey: 'academicSession',
    build: term,
    required: ['title', 'startDate', 'endDate', 'type', 'schoolYear'],
    enumProperty: 'type',
    unknownValue: 'quarter',
    extensible: true,
  },
  {
    name: 'Course',
    set: 'CourseSet',
    single: 'SingleCourse',
    setKey: 'courses',
    singleKey: 'course',
    build: course,
    required: ['title', 'courseCode'],
    enumProperty: 'status',
    unknownValue: 'inactive',
    extensible: false,
  },
  {
    name: 'Class',
    set: 'ClassSet',
    single: 'SingleClass',
    setKey: 'classes',
    singleKey: 'class',
    build: klass,
    required: ['title', 'course', 'school', 'terms'],
    enumProperty: 'classType',
    unknownValue: 'elective',
    extensible: true,
  },
  {
    name: 'User',
    set: 'UserSet',
    single: 'SingleUser',
    setKey: 'users',
    singleKey: 'user',
    build: student,
    required: ['enabledUser', 'givenName', 'familyName', 'roles'],
    enumProperty: 'enabledUser',
    unknownValue: 'yes',
    extensible: false,
  },
  {
    name: 'Enrollment',
    set: 'EnrollmentSet',
    single: 'SingleEnrollment',
    setKey: 'enrollments',
    singleKey: 'enrollment',
    build: enrollment,
    required: ['user', 'class', 'school', 'role'],
    enumProperty: 'role',
    unknownValue: 'guardian',
    extensible: true,
  },
  {
    name: 'Category',
    set: 'CategorySet',
    single: 'SingleCategory',
    setKey: 'categories',
    singleKey: 'category',
    build: category,
    required: ['title'],
    enumProperty: 'status',
    unknownValue: 'deleted',
    extensible: false,
  },
  {
    name: 'LineItem',
    set: 'LineItemSet',
    single: 'SingleLineItem',
    setKey: 'lineItems',
    singleKey: 'lineItem',
    build: lineItem,
    required: ['title', 'assignDate', 'dueDate', 'class', 'school', 'category'],
    enumProperty: 'status',
    unknownValue: 'archived',
    extensible: false,
  },
  {
    name: 'Result',
    set: 'ResultSet',
    single: 'SingleResult',
    setKey: 'results',
    singleKey: 'result',
    build: result,
    required: ['lineItem', 'student', 'scoreStatus', 'scoreDate'],
    enumProperty: 'scoreStatus',
    unknownValue: 'graded',
    extensible: false,
  },
];

describe('OneRoster 1.2 schemas compile', () => {
  it('compiles every schema in strict mode and knows each by its spec name', () => {
    expect(ONEROSTER_SCHEMA_NAMES).toHaveLength(29);
    for (const name of ONEROSTER_SCHEMA_NAMES) expect(() => validate(name, {})).not.toThrow();
  });

  it('maps the specialised collections to the general payloads, as the spec reuses them', () => {
    expect(RESPONSE_SCHEMA['/schools']).toBe('OrgSet');
    expect(RESPONSE_SCHEMA['/schools/{sourcedId}']).toBe('SingleOrg');
    expect(RESPONSE_SCHEMA['/terms']).toBe('AcademicSessionSet');
    expect(RESPONSE_SCHEMA['/gradingPeriods/{sourcedId}']).toBe('SingleAcademicSession');
    expect(RESPONSE_SCHEMA['/students']).toBe('UserSet');
    expect(RESPONSE_SCHEMA['/teachers/{sourcedId}']).toBe('SingleUser');
    // A school answers under "orgs", never under a key of its own.
    expectValid('OrgSet', { orgs: [school()] });
    expectError('OrgSet', { schools: [school()] }, 'additionalProperties', '', { additionalProperty: 'schools' });
  });
});

describe.each(ENTITIES)('$name', (c) => {
  it('accepts the realistic document, alone, in its collection and as a single', () => {
    expectValid(c.name, c.build());
    expectValid(c.set, { [c.setKey]: [c.build(), c.build()] });
    expectValid(c.set, { [c.setKey]: [] });
    expectValid(c.single, { [c.singleKey]: c.build() });
  });

  it('refuses a document without sourcedId, status, dateLastModified or any other required property', () => {
    for (const key of ['sourcedId', 'status', 'dateLastModified', ...c.required]) {
      expectError(c.name, without(c.build(), key), 'required', '', { missingProperty: key });
    }
    expectError(c.set, { [c.setKey]: [without(c.build(), 'sourcedId')] }, 'required', `/${c.setKey}/0`, { missingProperty: 'sourcedId' });
    expectError(c.single, { [c.singleKey]: without(c.build(), 'sourcedId') }, 'required', `/${c.singleKey}`, { missingProperty: 'sourcedId' });
  });

  it("refuses a status other than 'active' or 'tobedeleted' (1.0's 'inactive' included)", () => {
    expectValid(c.name, { ...c.build(), status: 'tobedeleted' });
    expectError(c.name, { ...c.build(), status: 'inactive' }, 'enum', '/status', { allowedValues: ['active', 'tobedeleted'] });
  });

  it('refuses a dateLastModified that is not a UTC date-time', () => {
    expectError(c.name, { ...c.build(), dateLastModified: '01.09.2026 09:30' }, 'format', '/dateLastModified', { format: 'date-time' });
    expectError(c.name, { ...c.build(), dateLastModified: '2026-02-30T10:00:00Z' }, 'format', '/dateLastModified', { format: 'date-time' });
    expectError(c.name, { ...c.build(), dateLastModified: '2026-09-01T09:30:00+03:00' }, 'pattern', '/dateLastModified');
    expectError(c.name, { ...c.build(), dateLastModified: '2026-09-01' }, 'format', '/dateLastModified');
    expectValid(c.name, { ...c.build(), dateLastModified: '2026-09-01T06:30:00.123Z' });
  });

  it('refuses a value outside its vocabulary', () => {
    const errors = validate(c.name, { ...c.build(), [c.enumProperty]: c.unknownValue });
    expect(errors).toContainEqual(expect.objectContaining({ keyword: 'enum', instancePath: `/${c.enumProperty}` }));
    if (c.extensible) {
      expect(errors).toContainEqual(expect.objectContaining({ keyword: 'anyOf', instancePath: `/${c.enumProperty}` }));
      expectValid(c.name, { ...c.build(), [c.enumProperty]: 'ext:lyceum-profile' });
      // The extension must start the value: the spec's unanchored pattern would let this through.
      expectError(c.name, { ...c.build(), [c.enumProperty]: `${c.unknownValue} ext:x` }, 'anyOf', `/${c.enumProperty}`);
    } else {
      expectError(c.name, { ...c.build(), [c.enumProperty]: 'ext:lyceum-profile' }, 'enum', `/${c.enumProperty}`);
    }
  });

  it('refuses a property the spec does not define, at the top and in the wrappers, but keeps metadata open', () => {
    expectError(c.name, { ...c.build(), patronymic: 'Сергеевна' }, 'additionalProperties', '', { additionalProperty: 'patronymic' });
    expectError(c.set, { [c.setKey]: [c.build()], imsx_statusInfoSet: [] }, 'additionalProperties', '', { additionalProperty: 'imsx_statusInfoSet' });
    expectError(c.single, { [c.singleKey]: c.build(), total: 1 }, 'additionalProperties', '', { additionalProperty: 'total' });
    expectError(c.single, {}, 'required', '', { missingProperty: c.singleKey });
    expectError(c.set, { [c.setKey]: c.build() }, 'type', `/${c.setKey}`, { type: 'array' });
    expectValid(c.name, { ...c.build(), metadata: { 'district.journalId': 42, nested: { any: ['thing'] } } });
    expectError(c.name, { ...c.build(), metadata: 'Заметка' }, 'type', '/metadata', { type: 'object' });
  });
});

describe('GUIDRef', () => {
  it('requires href (an absolute URI), sourcedId and a type from the vocabulary, and nothing else', () => {
    expectValid('GUIDRef', ref('org', 's001'));
    expectError('GUIDRef', without(ref('org', 's001'), 'href'), 'required', '', { missingProperty: 'href' });
    expectError('GUIDRef', without(ref('org', 's001'), 'sourcedId'), 'required', '', { missingProperty: 'sourcedId' });
    expectError('GUIDRef', { ...ref('org', 's001'), type: 'school' }, 'enum', '/type');
    expectError('GUIDRef', { ...ref('org', 's001'), href: '/ims/oneroster/rostering/v1p2/orgs/s001' }, 'format', '/href', { format: 'uri' });
    expectError('GUIDRef', { ...ref('org', 's001'), name: 'Школа № 1' }, 'additionalProperties', '', { additionalProperty: 'name' });
  });

  it('takes the type the referring property needs: a class is in an org, a result is of a user', () => {
    expectError('Class', { ...klass(), school: ref('course', 's001') }, 'const', '/school/type', { allowedValue: 'org' });
    expectError('Result', { ...result(), student: ref('org', 'u-ivanova-anna') }, 'const', '/student/type', { allowedValue: 'user' });
    expectError('Class', { ...klass(), terms: [] }, 'minItems', '/terms');
  });
});

describe('nested rostering rules', () => {
  it('checks each role of a user: roleType, role vocabulary, org; at least one role', () => {
    const role = (student().roles as Doc[])[0];
    expectError('User', { ...student(), roles: [] }, 'minItems', '/roles');
    expectError('User', { ...student(), roles: [{ ...role, roleType: 'main' }] }, 'enum', '/roles/0/roleType', { allowedValues: ['primary', 'secondary'] });
    expectError('User', { ...student(), roles: [{ ...role, role: 'headTeacher' }] }, 'anyOf', '/roles/0/role');
    expectError('User', { ...student(), roles: [without(role, 'org')] }, 'required', '/roles/0', { missingProperty: 'org' });
    expectValid('User', { ...student(), roles: [role, { roleType: 'secondary', role: 'ext:classLeader', org: ref('org', 's001') }] });
    expectError('User', { ...student(), userIds: [{ type: 'snils' }] }, 'required', '/userIds/0', { missingProperty: 'identifier' });
  });

  it('checks dates as YYYY-MM-DD and the school year as YYYY', () => {
    expectError('AcademicSession', { ...term(), startDate: '01.09.2026' }, 'format', '/startDate', { format: 'date' });
    expectError('AcademicSession', { ...term(), endDate: '2026-10-26T00:00:00Z' }, 'format', '/endDate', { format: 'date' });
    expectError('AcademicSession', { ...term(), schoolYear: '2026/2027' }, 'pattern', '/schoolYear');
    expectError('Enrollment', { ...enrollment(), primary: true }, 'type', '/primary');
  });
});

describe('gradebook specifics', () => {
  it('accepts every scoreStatus of the vocabulary and a text score', () => {
    for (const scoreStatus of ['exempt', 'fully graded', 'not submitted', 'partially graded', 'submitted']) {
      expectValid('Result', { ...result(), scoreStatus });
    }
    expectValid('Result', { ...without(result(), 'score'), textScore: 'зачёт', scoreStatus: 'fully graded' });
    expectValid('Result', {
      ...result(),
      learningObjectiveSet: [{ source: 'fgos', learningObjectiveResults: [{ learningObjectiveId: 'M5.1', score: 5 }] }],
    });
  });

  it('refuses a score that is not a number, a scoreDate with a time, a flag that is not a string boolean', () => {
    expectError('Result', { ...result(), score: '5' }, 'type', '/score', { type: 'number' });
    expectError('Result', { ...result(), scoreDate: '2026-09-22T10:00:00Z' }, 'format', '/scoreDate', { format: 'date' });
    expectError('Result', { ...result(), late: 'нет' }, 'enum', '/late');
    expectError('LineItem', { ...lineItem(), resultValueMax: 'пять' }, 'type', '/resultValueMax');
    expectError('LineItem', { ...lineItem(), dueDate: '2026-09-21' }, 'format', '/dueDate');
    expectError('Category', { ...category(), weight: '2' }, 'type', '/weight');
  });
});

describe('imsx_StatusInfo', () => {
  it('accepts every body errors.ts produces', () => {
    const responses = [
      invalidFilterField('Поле «nickname» нельзя использовать в фильтре.'),
      invalidSelectionField('Поле «nickname» не существует.'),
      invalidData('limit должен быть целым числом от 1 до 1000.'),
      invalidRequestBody('score вне диапазона оценки.'),
      unauthorisedRequest(),
      forbidden(),
      unknownObject('u-ivanova-anna'),
      serverBusy(),
      internalServerError(),
    ];
    expect(responses.map((r) => r.status)).toEqual([400, 400, 400, 422, 401, 403, 404, 429, 500]);
    for (const response of responses) expectValid('imsx_StatusInfo', response.body);
  });

  it('requires codeMajor and severity, and knows only the 1.2 code-minor vocabulary', () => {
    const body = invalidData('limit').body as unknown as Doc;
    expectError('imsx_StatusInfo', without(body, 'imsx_codeMajor'), 'required', '', { missingProperty: 'imsx_codeMajor' });
    expectError('imsx_StatusInfo', without(body, 'imsx_severity'), 'required', '', { missingProperty: 'imsx_severity' });
    expectError('imsx_StatusInfo', { ...body, imsx_codeMajor: 'error' }, 'enum', '/imsx_codeMajor');
    expectError('imsx_StatusInfo', { ...body, imsx_severity: 'fatal' }, 'enum', '/imsx_severity');
    expectError(
      'imsx_StatusInfo',
      { ...body, imsx_CodeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldName: 'TargetEndSystem', imsx_codeMinorFieldValue: 'invalid_sort_field' }] } },
      'enum',
      '/imsx_CodeMinor/imsx_codeMinorField/0/imsx_codeMinorFieldValue',
    );
    expectError('imsx_StatusInfo', { ...body, imsx_CodeMinor: { imsx_codeMinorField: [] } }, 'minItems', '/imsx_CodeMinor/imsx_codeMinorField');
    expectError('imsx_StatusInfo', { imsx_statusInfo: body }, 'additionalProperties', '', { additionalProperty: 'imsx_statusInfo' });
    expectValid('imsx_StatusInfo', { imsx_codeMajor: 'failure', imsx_severity: 'error' });
  });
});
