import { TARGETS, USERS, type Scope, type Target, type User } from './access-fixture';

/**
 * The authorization table: every query, mutation and entity field of the
 * supergraph, who may use it and on what (see docs/security.md for the rules
 * in words). access-table.test.ts probes each row with every role through the
 * gateway, and each school-subgraph row directly against s001's instance with
 * tokens of another school; an operation of the supergraph missing here fails
 * the test, and so does any answer that differs from the row.
 *
 * `allow` lists, per user, the targets they may act on (targets are defined in
 * access-fixture.ts); everyone and everything not listed must be refused
 * (FORBIDDEN, or nothing returned). Mutations are probed with input that
 * fails after authorization (a stale version, an unknown id, an invalid
 * value), so an allowed user gets a domain error and nothing changes, while
 * a refused user must get FORBIDDEN before any validation.
 */
export interface AccessRow {
  /** Query.x, Mutation.x or Type.field */
  op: string;
  scope: Scope;
  kind: 'query' | 'mutation';
  /** The operation's selection set; `$name` variables come from the target's bag. */
  body: string;
  /** Where the probed value is in the answer's data. */
  path: string[];
  /** "user user: target target; user: target" — `*` is every target of the scope; empty: nobody. */
  allow: string;
  /**
   * The state portal runs only safelisted operations (gateway/portal-operations.json): its probe of this row
   * is that operation, by hash, with these variables (input that fails after authorization). Other users
   * send the row's body; the portal's probe of any other row is refused PERSISTED_QUERY_NOT_ALLOWED.
   */
  persisted?: { name: string; variables: Record<string, unknown> };
}

const q = (op: string, scope: Scope, body: string, allow: string, path = [op.split('.')[1]!]): AccessRow => ({ op, scope, kind: 'query', body, path, allow });
const m = (op: string, scope: Scope, body: string, allow: string): AccessRow => ({ op, scope, kind: 'mutation', body, path: [op.split('.')[1]!], allow });

/** An entity's fields reached through one carrier query: `fields` maps each field to its selection and rule. */
function entity(
  type: string,
  scope: Scope,
  carrier: (selection: string) => string,
  path: (field: string) => string[],
  fields: Record<string, [selection: string, allow: string]>,
): AccessRow[] {
  return Object.entries(fields).map(([field, [selection, allow]]) => ({
    op: `${type}.${field}`,
    scope,
    kind: 'query' as const,
    body: carrier(selection),
    path: path(field),
    allow,
  }));
}

export const ACCESS_TABLE: AccessRow[] = [
  // ---- journal ------------------------------------------------------------
  q('Query.verifyAudit', 'school', `verifyAudit(schoolId: $school) { ok }`, 'deputy director: own; districtAdmin: own other'),
  q('Query.entryHistory', 'lesson', `entryHistory(id: $mark) { id }`, 'deputy director: ownLesson otherLesson'),
  q(
    'Query.controlForms',
    'school',
    `controlForms(schoolId: $school) { code }`,
    'teacher deputy director student parent: own; analyst districtAdmin: own other',
  ),
  q(
    'Query.journalSettings',
    'school',
    `journalSettings(schoolId: $school) { editWindowDays }`,
    'teacher deputy director student parent: own; analyst districtAdmin: own other',
  ),
  q(
    'Query.journalFill',
    'school',
    `journalFill(schoolId: $school, from: $from, to: $to) { className }`,
    'deputy director: own; analyst districtAdmin: own other',
  ),
  q('Query.correctionRequests', 'school', `correctionRequests(schoolId: $school) { id }`, 'teacher deputy director: own'),
  q(
    'Query.diary',
    'student',
    `diary(studentId: $student, weekStart: $weekStart) { weekStart }`,
    'teacher: self classmate; deputy director: self classmate untaught; student parent: self',
  ),
  q(
    'Query.studentProgress',
    'student',
    `studentProgress(studentId: $student, from: $from, to: $to) { studentId }`,
    'teacher: self classmate; deputy director: self classmate untaught; student parent: self',
  ),
  q('Query.lessonJournal', 'lesson', `lessonJournal(lessonId: $lesson) { editWindowOpen }`, 'teacher: ownLesson; deputy director: ownLesson otherLesson'),
  q(
    'Query.classJournal',
    'classGroup',
    `classJournal(termId: $term, classGroupId: $classGroup, subjectId: $subject) { subject }`,
    'teacher: ownClass; deputy director: ownClass otherClass',
  ),
  q(
    'Query.termGradeSheet',
    'classGroup',
    `termGradeSheet(termId: $term, classGroupId: $classGroup, subjectId: $subject) { subject }`,
    'teacher: ownClass; deputy director: ownClass otherClass',
  ),
  q(
    'Query.yearGradeSheet',
    'classGroup',
    `yearGradeSheet(academicYearId: $year, classGroupId: $classGroup, subjectId: $subject) { subject }`,
    'teacher: ownClass; deputy director: ownClass otherClass',
  ),
  m(
    'Mutation.enterAttendance',
    'lesson',
    `enterAttendance(lessonId: $lesson, entries: [{ studentId: $student, code: ABSENT, reason: "${'x'.repeat(301)}" }], idempotencyKey: $key) { id }`,
    'teacher: ownLesson',
  ),
  m(
    'Mutation.editAttendance',
    'lesson',
    `editAttendance(id: $attendance, version: 999999, code: LATE, idempotencyKey: $key) { applied }`,
    'teacher: ownLesson',
  ),
  m('Mutation.withdrawAttendance', 'lesson', `withdrawAttendance(id: $attendance, version: 999999, idempotencyKey: $key) { applied }`, 'teacher: ownLesson'),
  m('Mutation.setControlForm', 'school', `setControlForm(schoolId: $school, code: "PROBE", name: "", weight: 99, active: true) { code }`, 'director: own'),
  m('Mutation.setEditWindow', 'school', `setEditWindow(schoolId: $school, editWindowDays: 3, version: 999999) { version }`, 'director: own'),
  m('Mutation.decideCorrection', 'school', `decideCorrection(id: $correction, version: 1, approve: true) { id }`, 'deputy director: own'),
  m(
    'Mutation.setLessonRecord',
    'lesson',
    `setLessonRecord(lessonId: $lesson, topic: "${'x'.repeat(1001)}", idempotencyKey: $key) { version }`,
    'teacher: ownLesson',
  ),
  m(
    'Mutation.enterMarks',
    'lesson',
    `enterMarks(lessonId: $lesson, marks: [{ studentId: $student, value: "7", controlForm: "ORAL" }], idempotencyKey: $key) { id }`,
    'teacher: ownLesson',
  ),
  m('Mutation.editMark', 'lesson', `editMark(id: $mark, version: 999999, change: { value: "5" }, idempotencyKey: $key) { applied }`, 'teacher: ownLesson'),
  m('Mutation.withdrawMark', 'lesson', `withdrawMark(id: $mark, version: 999999, idempotencyKey: $key) { applied }`, 'teacher: ownLesson'),
  m(
    'Mutation.setTermGrades',
    'classGroup',
    `setTermGrades(termId: $term, classGroupId: $classGroup, subjectId: $subject, grades: [{ studentId: $student, value: "9" }], idempotencyKey: $key) { subject }`,
    'teacher: ownClass',
  ),
  m(
    'Mutation.setYearGrades',
    'classGroup',
    `setYearGrades(academicYearId: $year, classGroupId: $classGroup, subjectId: $subject, grades: [{ studentId: $student, value: "9" }], idempotencyKey: $key) { subject }`,
    'teacher: ownClass',
  ),

  // ---- monitoring (district) ----------------------------------------------
  q('Query.schools', 'district', `schools { id }`, 'teacher deputy director student parent analyst districtAdmin ssoAdmin: district'),
  q('Query.school', 'school', `school(id: $school) { id }`, 'teacher deputy director student parent: own; analyst districtAdmin ssoAdmin: own other'),
  q('Query.monitoring', 'district', `monitoring(month: $month) { schoolId }`, 'deputy director analyst districtAdmin: district'),
  q('Query.monthlyReport', 'district', `monthlyReport(month: "2000-01") { version }`, 'deputy director analyst districtAdmin: district'),
  q('Query.monthlyReportVersions', 'district', `monthlyReportVersions(month: $month) { version }`, 'deputy director analyst districtAdmin: district'),
  q('Query.monitoringCollectionRun', 'district', `monitoringCollectionRun(id: "unknown-run") { id }`, 'analyst districtAdmin: district'),
  q('Query.monitoringCollectionRuns', 'district', `monitoringCollectionRuns(month: $month) { id }`, 'analyst districtAdmin: district'),
  q(
    'Query.districtProgress',
    'district',
    `districtProgress(period: { from: $from, to: $to }, groupBy: [YEAR_OF_STUDY]) { schools }`,
    'analyst districtAdmin: district',
  ),
  m(
    'Mutation.registerSchool',
    'district',
    `registerSchool(id: "bad id", input: { fullName: "", shortName: "", address: "" }) { id }`,
    'districtAdmin: district',
  ),
  m(
    'Mutation.updateSchool',
    'school',
    `updateSchool(id: $school, version: 999999, input: { fullName: "Школа", shortName: "Школа", address: "ул. Новая, 1" }) { id }`,
    'districtAdmin: own other',
  ),
  m('Mutation.collectMonitoring', 'district', `collectMonitoring(month: "2026-13") { id }`, 'districtAdmin: district'),
  m(
    'Mutation.recordDiaryOpens',
    'district',
    `recordDiaryOpens(opens: [{ personId: "not-a-uuid", role: "nobody", schoolId: "s001", openedAt: "yesterday" }])`,
    '',
  ),

  // ---- people -------------------------------------------------------------
  q('Query.classGroups', 'school', `classGroups(schoolId: $school) { id }`, 'teacher deputy director student parent: own; analyst districtAdmin: own other'),
  q('Query.myClassGroups', 'school', `myClassGroups(schoolId: $school) { id }`, 'teacher: own'),
  q(
    'Query.classGroup',
    'classGroup',
    `classGroup(id: $classGroup) { id }`,
    'teacher deputy director student parent: ownClass otherClass; analyst districtAdmin: *',
  ),
  q('Query.guardians', 'school', `guardians(schoolId: $school) { id }`, 'teacher deputy director: own; districtAdmin: own other'),
  q('Query.staff', 'school', `staff(schoolId: $school) { id }`, 'teacher deputy director student parent: own; analyst districtAdmin: own other'),
  q('Query.students', 'school', `students(schoolId: $school, offset: 0, limit: 5) { id }`, 'teacher deputy director: own; districtAdmin: own other'),
  q('Query.student', 'student', `student(id: $student) { id }`, 'teacher deputy director: self classmate untaught; student parent: self'),
  q('Query.myChildren', 'district', `myChildren { id }`, 'parent: district'),
  q('Query.myStudentRecord', 'district', `myStudentRecord { id }`, 'student: district'),
  m('Mutation.createClassGroup', 'school', `createClassGroup(schoolId: $school, input: { name: "", academicYear: "never" }) { id }`, 'director: own'),
  m(
    'Mutation.updateClassGroup',
    'classGroup',
    `updateClassGroup(id: $classGroup, version: 999999, input: { name: "5А", academicYear: "2026/2027" }) { id }`,
    'director: ownClass otherClass',
  ),
  m(
    'Mutation.enrollStudent',
    'student',
    `enrollStudent(studentId: $student, classGroupId: $classGroup, startDate: "not a date") { id }`,
    'director: self classmate untaught',
  ),
  m('Mutation.endEnrollment', 'school', `endEnrollment(id: $enrollment, endDate: "not a date") { id }`, 'director: own'),
  m('Mutation.createGuardian', 'school', `createGuardian(schoolId: $school, input: { lastName: "", firstName: "" }) { id }`, 'director: own'),
  m(
    'Mutation.updateGuardian',
    'school',
    `updateGuardian(id: $guardian, version: 999999, input: { lastName: "Иванова", firstName: "Анна" }) { id }`,
    'director: own',
  ),
  m('Mutation.linkGuardian', 'student', `linkGuardian(studentId: $student, guardianId: $guardian, relation: "")`, 'director: self classmate untaught'),
  m('Mutation.importRoster', 'school', `importRoster(schoolId: $school, csv: "not a roster") { studentsCreated }`, 'director: own'),
  m('Mutation.startRosterImport', 'school', `startRosterImport(schoolId: $school, csv: "not a roster") { id }`, 'director: own'),
  q('Query.rosterImportRun', 'school', `rosterImportRun(schoolId: $school, id: "unknown-run") { id }`, 'director: own'),
  q('Query.rosterImportRuns', 'school', `rosterImportRuns(schoolId: $school) { id }`, 'director: own'),
  m('Mutation.openPersonalDataAccess', 'student', `openPersonalDataAccess(schoolId: $school, studentId: $student, reason: "short") { id }`, 'districtAdmin: *'),
  q('Query.personalDataAccessLog', 'school', `personalDataAccessLog(schoolId: $school) { reason }`, 'director: own; districtAdmin: own other'),
  m('Mutation.createStaff', 'school', `createStaff(schoolId: $school, input: { lastName: "", firstName: "", position: "" }) { id }`, 'director: own'),
  m(
    'Mutation.updateStaff',
    'school',
    `updateStaff(id: $staff, version: 999999, input: { lastName: "Петров", firstName: "Иван", position: "учитель" }) { id }`,
    'director: own',
  ),
  m(
    'Mutation.createStudent',
    'school',
    `createStudent(schoolId: $school, input: { lastName: "", firstName: "", birthDate: "not a date" }) { id }`,
    'director: own',
  ),
  m(
    'Mutation.updateStudent',
    'student',
    `updateStudent(id: $student, version: 999999, input: { lastName: "Иванов", firstName: "Иван", birthDate: "2015-01-01" }) { id }`,
    'director: self classmate untaught',
  ),
  q('Query.accountPersons', 'school', `accountPersons(schoolId: $school) { id }`, 'director: own; ssoAdmin: own other'),
  m('Mutation.assignPersonIds', 'school', `assignPersonIds(schoolId: $school, ids: ["not-an-id"]) { id }`, 'director: own; ssoAdmin: own other'),

  // ---- identity (accounts; `$account` is the school's demo teacher's account) --------
  q('Query.accounts', 'school', `accounts(filter: { schoolId: $school }) { total }`, 'director: own; ssoAdmin: own other'),
  q('Query.account', 'school', `account(id: $account) { id }`, 'director: own; ssoAdmin: own other'),
  q('Query.accountSessions', 'school', `accountSessions(accountId: $account) { id }`, 'director: own; ssoAdmin: own other'),
  q('Query.identityAudit', 'school', `identityAudit(accountId: $account) { id }`, 'director: own; ssoAdmin: own other'),
  q('Query.verifyIdentityAudit', 'district', `verifyIdentityAudit { ok }`, 'ssoAdmin: district'),

  // ---- the state portal ----------------------------------------------------
  {
    ...q(
      'Query.portalProgress',
      'district',
      `portalProgress(applicant: { snils: "1" }, child: { snils: "1" }, from: $from, to: $to) { requestId }`,
      'portal: district',
    ),
    persisted: { name: 'PortalProgress', variables: { applicant: { snils: '1' }, child: { snils: '1' }, from: '2026-09-01', to: '2026-09-30' } },
  },
  {
    ...q(
      'Query.portalDiary',
      'district',
      `portalDiary(applicant: { snils: "1" }, child: { snils: "1" }, weekStart: $weekStart) { requestId }`,
      'portal: district',
    ),
    persisted: { name: 'PortalDiary', variables: { applicant: { snils: '1' }, child: { snils: '1' }, weekStart: '2026-09-01' } },
  },
  q('Query.portalAccessLog', 'student', `portalAccessLog(studentId: $student) { id }`, 'districtAdmin: self classmate untaught otherSchool'),
  // Probed with a role that does not fit a staff member, or a malformed idempotency key: refused after the access check.
  m(
    'Mutation.createAccount',
    'school',
    `createAccount(person: $staff, roles: [STUDENT], idempotencyKey: $key) { created }`,
    'director: own; ssoAdmin: own other',
  ),
  m('Mutation.grantRole', 'school', `grantRole(accountId: $account, role: TEACHER, idempotencyKey: "bad key") { id }`, 'director: own; ssoAdmin: own other'),
  m('Mutation.revokeRole', 'school', `revokeRole(accountId: $account, role: TEACHER, idempotencyKey: "bad key") { id }`, 'director: own; ssoAdmin: own other'),
  m(
    'Mutation.bindAccountToSchool',
    'school',
    `bindAccountToSchool(accountId: $account, schoolId: $school, idempotencyKey: "bad key") { id }`,
    'director: own; ssoAdmin: own other',
  ),
  m(
    'Mutation.unbindAccountFromSchool',
    'school',
    `unbindAccountFromSchool(accountId: $account, schoolId: $school, idempotencyKey: "bad key") { id }`,
    'director: own; ssoAdmin: own other',
  ),
  m(
    'Mutation.setAccountEnabled',
    'school',
    `setAccountEnabled(accountId: $account, enabled: true, idempotencyKey: "bad key") { id }`,
    'director: own; ssoAdmin: own other',
  ),
  m(
    'Mutation.resetAccountPassword',
    'school',
    `resetAccountPassword(accountId: $account, idempotencyKey: "bad key") { temporaryPassword }`,
    'director: own; ssoAdmin: own other',
  ),
  m('Mutation.endAccountSessions', 'school', `endAccountSessions(accountId: $account, idempotencyKey: "bad key") { id }`, 'director: own; ssoAdmin: own other'),

  q('Query.accountDrift', 'school', `accountDrift(schoolId: $school) { kind }`, 'director: own; ssoAdmin: own other'),
  q('Query.accountRuns', 'school', `accountRuns(schoolId: $school) { id }`, 'director: own; ssoAdmin: own other'),
  // No run has this id: null for whoever may read runs, FORBIDDEN before that for anyone else.
  q('Query.accountRun', 'district', `accountRun(id: "999999") { id }`, 'director ssoAdmin: district'),
  m(
    'Mutation.provisionSchoolAccounts',
    'school',
    `provisionSchoolAccounts(schoolId: $school, idempotencyKey: "bad key") { id }`,
    'director: own; ssoAdmin: own other',
  ),
  m('Mutation.fixAccountDrift', 'school', `fixAccountDrift(schoolId: $school, idempotencyKey: "bad key") { id }`, 'director: own; ssoAdmin: own other'),

  // ---- schedule -----------------------------------------------------------
  q('Query.teachingAssignments', 'school', `teachingAssignments(schoolId: $school) { id }`, 'teacher deputy director: own; districtAdmin: own other'),
  q('Query.bellSchedule', 'school', `bellSchedule(schoolId: $school) { id }`, 'teacher deputy director student parent: own; analyst districtAdmin: own other'),
  q(
    'Query.timetable',
    'classGroup',
    `timetable(schoolId: $school, classGroupId: $classGroup, from: $from, to: $to) { id }`,
    'teacher deputy director: ownClass otherClass; student parent: ownClass; districtAdmin: *',
  ),
  q(
    'Query.teacherLessons',
    'school',
    `teacherLessons(schoolId: $school, teacherId: $staff, from: $from, to: $to) { id }`,
    'teacher deputy director: own; districtAdmin: own other',
  ),
  q(
    'Query.studentWeek',
    'student',
    `studentWeek(studentId: $student, weekStart: $weekStart) { id }`,
    'teacher deputy director: self classmate untaught; student parent: self',
  ),
  q('Query.lesson', 'lesson', `lesson(id: $lesson) { id }`, 'teacher deputy director student parent: ownLesson otherLesson; districtAdmin: *'),
  q('Query.subjects', 'school', `subjects(schoolId: $school) { id }`, 'teacher deputy director student parent: own; analyst districtAdmin: own other'),
  q(
    'Query.timetableEntries',
    'classGroup',
    `timetableEntries(schoolId: $school, classGroupId: $classGroup) { id }`,
    'teacher deputy director: ownClass otherClass; districtAdmin: *',
  ),
  q(
    'Query.academicYears',
    'school',
    `academicYears(schoolId: $school) { id }`,
    'teacher deputy director student parent: own; analyst districtAdmin: own other',
  ),
  q('Query.terms', 'school', `terms(schoolId: $school) { id }`, 'teacher deputy director student parent: own; analyst districtAdmin: own other'),
  q('Query.term', 'school', `term(id: $term) { id }`, 'teacher deputy director student parent: own; analyst districtAdmin: own other'),
  m(
    'Mutation.createTeachingAssignment',
    'school',
    `createTeachingAssignment(schoolId: $school, input: { academicYearId: $year, classGroupId: $classGroup, subjectId: $subject, teacherId: $staff, groupName: "${'x'.repeat(51)}" }) { id }`,
    'director: own',
  ),
  m(
    'Mutation.createBellPeriod',
    'school',
    `createBellPeriod(schoolId: $school, input: { number: 99, startTime: "25:00", endTime: "26:00" }) { id }`,
    'director: own',
  ),
  m('Mutation.generateLessons', 'school', `generateLessons(termId: $term) { created }`, 'deputy director: own'),
  m(
    'Mutation.substituteLesson',
    'lesson',
    `substituteLesson(lessonId: $lesson, version: 999999, reason: "проверка доступа") { id }`,
    'deputy director: ownLesson otherLesson',
  ),
  m(
    'Mutation.cancelLesson',
    'lesson',
    `cancelLesson(lessonId: $lesson, version: 999999, reason: "проверка доступа") { id }`,
    'deputy director: ownLesson otherLesson',
  ),
  m(
    'Mutation.moveLesson',
    'lesson',
    `moveLesson(lessonId: $lesson, version: 999999, reason: "проверка доступа", date: "not a date", period: 99) { id }`,
    'deputy director: ownLesson otherLesson',
  ),
  m('Mutation.createSubject', 'school', `createSubject(schoolId: $school, input: { name: "" }) { id }`, 'director: own'),
  m(
    'Mutation.createTimetableEntry',
    'school',
    `createTimetableEntry(schoolId: $school, input: { assignmentId: $staff, weekday: 9, period: 99 }) { id }`,
    'director: own',
  ),
  m(
    'Mutation.createAcademicYear',
    'school',
    `createAcademicYear(schoolId: $school, input: { name: "", startDate: "x", endDate: "y" }) { id }`,
    'director: own',
  ),
  m(
    'Mutation.createHoliday',
    'school',
    `createHoliday(schoolId: $school, input: { academicYearId: $year, name: "", startDate: "x", endDate: "y" }) { id }`,
    'director: own',
  ),
  m(
    'Mutation.createTerm',
    'school',
    `createTerm(schoolId: $school, input: { academicYearId: $year, name: "", kind: QUARTER, number: 9, startDate: "x", endDate: "y" }) { id }`,
    'director: own',
  ),
  m('Mutation.closeTerm', 'school', `closeTerm(id: $term, version: 999999) { id }`, 'deputy director: own'),

  // ---- entity fields, each through a query that reaches the entity -------
  ...entity(
    'Student',
    'student',
    (f) => `student(id: $student) { ${f} }`,
    (f) => ['student', f],
    {
      id: ['id', 'teacher deputy director: self classmate untaught; student parent: self'],
      diary: ['diary(weekStart: $weekStart) { weekStart }', 'teacher: self classmate; deputy director: self classmate untaught; student parent: self'],
      progress: ['progress(from: $from, to: $to) { studentId }', 'teacher: self classmate; deputy director: self classmate untaught; student parent: self'],
      hasSnils: ['hasSnils', 'teacher deputy director: self classmate untaught; student parent: self'],
      lastName: ['lastName', 'teacher deputy director: self classmate untaught; student parent: self'],
      firstName: ['firstName', 'teacher deputy director: self classmate untaught; student parent: self'],
      middleName: ['middleName', 'teacher deputy director: self classmate untaught; student parent: self'],
      fullName: ['fullName', 'teacher deputy director: self classmate untaught; student parent: self'],
      personId: ['personId', 'teacher deputy director: self classmate untaught; student parent: self'],
      birthDate: ['birthDate', 'teacher: self classmate; deputy director: self classmate untaught; student parent: self'],
      version: ['version', 'teacher deputy director: self classmate untaught; student parent: self'],
      classGroup: ['classGroup { id }', 'teacher deputy director: self classmate untaught; student parent: self'],
      guardians: ['guardians { relation }', 'teacher: self classmate; deputy director: self classmate untaught; student parent: self'],
      school: ['school { id }', 'teacher deputy director: self classmate untaught; student parent: self'],
      account: ['account { id }', 'director: self classmate untaught'],
    },
  ),
  ...entity(
    'Guardian',
    'student',
    (f) => `student(id: $student) { guardians { guardian { ${f} } } }`,
    (f) => ['student', 'guardians', '0', 'guardian', f],
    {
      id: ['id', 'teacher: self classmate; deputy director: self classmate untaught; student parent: self'],
      lastName: ['lastName', 'teacher: self classmate; deputy director: self classmate untaught; student parent: self'],
      firstName: ['firstName', 'teacher: self classmate; deputy director: self classmate untaught; student parent: self'],
      middleName: ['middleName', 'teacher: self classmate; deputy director: self classmate untaught; student parent: self'],
      fullName: ['fullName', 'teacher: self classmate; deputy director: self classmate untaught; student parent: self'],
      personId: ['personId', 'teacher: self classmate; deputy director: self classmate untaught; student parent: self'],
      phone: ['phone', 'teacher: self classmate; deputy director: self classmate untaught; student parent: self'],
      email: ['email', 'teacher: self classmate; deputy director: self classmate untaught; student parent: self'],
      hasSnils: ['hasSnils', 'teacher: self classmate; deputy director: self classmate untaught; student parent: self'],
      version: ['version', 'teacher: self classmate; deputy director: self classmate untaught; student parent: self'],
      children: ['children { id }', 'teacher: self classmate; deputy director: self classmate untaught; student parent: self'],
      account: ['account { id }', 'director: self classmate untaught'],
    },
  ),
  ...entity(
    'ClassGroup',
    'classGroup',
    (f) => `classGroup(id: $classGroup) { ${f} }`,
    (f) => ['classGroup', f],
    {
      id: ['id', 'teacher deputy director student parent: ownClass otherClass; analyst districtAdmin: *'],
      name: ['name', 'teacher deputy director student parent: ownClass otherClass; analyst districtAdmin: *'],
      yearOfStudy: ['yearOfStudy', 'teacher deputy director student parent: ownClass otherClass; analyst districtAdmin: *'],
      academicYear: ['academicYear', 'teacher deputy director student parent: ownClass otherClass; analyst districtAdmin: *'],
      version: ['version', 'teacher deputy director student parent: ownClass otherClass; analyst districtAdmin: *'],
      students: ['students { id }', 'teacher deputy director: ownClass otherClass; student parent: ownClass'],
      studentCount: ['studentCount', 'teacher deputy director student parent: ownClass otherClass; analyst districtAdmin: *'],
      classTeacher: ['classTeacher { id }', 'teacher deputy director student parent: ownClass otherClass; analyst districtAdmin: *'],
    },
  ),
  ...entity(
    'Lesson',
    'lesson',
    (f) => `lesson(id: $lesson) { ${f} }`,
    (f) => ['lesson', f],
    {
      id: ['id', 'teacher deputy director student parent: ownLesson otherLesson; districtAdmin: *'],
      date: ['date', 'teacher deputy director student parent: ownLesson otherLesson; districtAdmin: *'],
      weekday: ['weekday', 'teacher deputy director student parent: ownLesson otherLesson; districtAdmin: *'],
      period: ['period', 'teacher deputy director student parent: ownLesson otherLesson; districtAdmin: *'],
      startTime: ['startTime', 'teacher deputy director student parent: ownLesson otherLesson; districtAdmin: *'],
      endTime: ['endTime', 'teacher deputy director student parent: ownLesson otherLesson; districtAdmin: *'],
      room: ['room', 'teacher deputy director student parent: ownLesson otherLesson; districtAdmin: *'],
      status: ['status', 'teacher deputy director student parent: ownLesson otherLesson; districtAdmin: *'],
      version: ['version', 'teacher deputy director student parent: ownLesson otherLesson; districtAdmin: *'],
      subject: ['subject { id }', 'teacher deputy director student parent: ownLesson otherLesson; districtAdmin: *'],
      grading: ['grading', 'teacher deputy director student parent: ownLesson otherLesson; districtAdmin: *'],
      classGroup: ['classGroup { id }', 'teacher deputy director student parent: ownLesson otherLesson; districtAdmin: *'],
      teacher: ['teacher { id }', 'teacher deputy director student parent: ownLesson otherLesson; districtAdmin: *'],
      substitute: ['substitute { id }', 'teacher deputy director student parent: ownLesson otherLesson; districtAdmin: *'],
      groupName: ['groupName', 'teacher deputy director student parent: ownLesson otherLesson; districtAdmin: *'],
      term: ['term { id }', 'teacher deputy director student parent: ownLesson otherLesson; districtAdmin: *'],
      changes: ['changes { __typename }', 'teacher deputy director: ownLesson otherLesson; districtAdmin: *'],
    },
  ),
  ...entity(
    'School',
    'school',
    (f) => `school(id: $school) { ${f} }`,
    (f) => ['school', f],
    {
      id: ['id', 'teacher deputy director student parent: own; analyst districtAdmin ssoAdmin: own other'],
      progress: ['progress(period: { from: $from, to: $to }, groupBy: [SUBJECT]) { from }', 'deputy director: own; analyst districtAdmin: own other'],
      monthlyFigures: ['monthlyFigures(month: $month) { month }', 'deputy director: own; analyst districtAdmin: own other'],
      // The schools' side of the portal's questions: the portal subgraph's own account (role gateway) only, none of these users.
      portalMatch: ['portalMatch(match: { applicantKey: "bad" }) { outcome }', ''],
      portalProgress: ['portalProgress(match: { applicantKey: "bad" }, from: $from, to: $to) { outcome }', ''],
      portalDiary: ['portalDiary(match: { applicantKey: "bad" }, weekStart: $weekStart) { outcome }', ''],
      fullName: ['fullName', 'teacher deputy director student parent: own; analyst districtAdmin ssoAdmin: own other'],
      shortName: ['shortName', 'teacher deputy director student parent: own; analyst districtAdmin ssoAdmin: own other'],
      address: ['address', 'teacher deputy director student parent: own; analyst districtAdmin ssoAdmin: own other'],
      director: ['director', 'teacher deputy director student parent: own; analyst districtAdmin ssoAdmin: own other'],
      status: ['status', 'teacher deputy director student parent: own; analyst districtAdmin ssoAdmin: own other'],
      version: ['version', 'teacher deputy director student parent: own; analyst districtAdmin ssoAdmin: own other'],
      instances: ['instances { people }', 'districtAdmin: own other'],
      studentCount: ['studentCount', 'teacher deputy director: own; analyst districtAdmin: own other'],
      classGroupCount: ['classGroupCount', 'teacher deputy director: own; analyst districtAdmin: own other'],
      staffCount: ['staffCount', 'teacher deputy director: own; analyst districtAdmin: own other'],
      guardianCount: ['guardianCount', 'teacher deputy director: own; analyst districtAdmin: own other'],
    },
  ),
  ...entity(
    'Staff',
    'school',
    (f) => `teachingAssignments(schoolId: $school) { teacher { ${f} } }`,
    (f) => ['teachingAssignments', '0', 'teacher', f],
    {
      id: ['id', 'teacher deputy director: own; districtAdmin: own other'],
      lastName: ['lastName', 'teacher deputy director: own; districtAdmin: own other'],
      firstName: ['firstName', 'teacher deputy director: own; districtAdmin: own other'],
      middleName: ['middleName', 'teacher deputy director: own; districtAdmin: own other'],
      fullName: ['fullName', 'teacher deputy director: own; districtAdmin: own other'],
      position: ['position', 'teacher deputy director: own; districtAdmin: own other'],
      email: ['email', 'teacher deputy director: own; districtAdmin: own other'],
      personId: ['personId', 'teacher deputy director: own; districtAdmin: own other'],
      active: ['active', 'teacher deputy director: own; districtAdmin: own other'],
      version: ['version', 'teacher deputy director: own; districtAdmin: own other'],
      account: ['account { id }', 'director: own'],
    },
  ),
  ...entity(
    'Subject',
    'school',
    (f) => `subjects(schoolId: $school) { ${f} }`,
    (f) => ['subjects', '0', f],
    {
      id: ['id', 'teacher deputy director student parent: own; analyst districtAdmin: own other'],
      name: ['name', 'teacher deputy director student parent: own; analyst districtAdmin: own other'],
      shortName: ['shortName', 'teacher deputy director student parent: own; analyst districtAdmin: own other'],
      grading: ['grading', 'teacher deputy director student parent: own; analyst districtAdmin: own other'],
      version: ['version', 'teacher deputy director student parent: own; analyst districtAdmin: own other'],
    },
  ),
  ...entity(
    'Term',
    'school',
    (f) => `term(id: $term) { ${f} }`,
    (f) => ['term', f],
    {
      id: ['id', 'teacher deputy director student parent: own; analyst districtAdmin: own other'],
      name: ['name', 'teacher deputy director student parent: own; analyst districtAdmin: own other'],
      kind: ['kind', 'teacher deputy director student parent: own; analyst districtAdmin: own other'],
      number: ['number', 'teacher deputy director student parent: own; analyst districtAdmin: own other'],
      startDate: ['startDate', 'teacher deputy director student parent: own; analyst districtAdmin: own other'],
      endDate: ['endDate', 'teacher deputy director student parent: own; analyst districtAdmin: own other'],
      yearsFrom: ['yearsFrom', 'teacher deputy director student parent: own; analyst districtAdmin: own other'],
      yearsTo: ['yearsTo', 'teacher deputy director student parent: own; analyst districtAdmin: own other'],
      closed: ['closed', 'teacher deputy director student parent: own; analyst districtAdmin: own other'],
      closedAt: ['closedAt', 'teacher deputy director student parent: own; analyst districtAdmin: own other'],
      version: ['version', 'teacher deputy director student parent: own; analyst districtAdmin: own other'],
      academicYear: ['academicYear { id }', 'teacher deputy director student parent: own; analyst districtAdmin: own other'],
    },
  ),
];

/** "teacher deputy: own; analyst: *" → user → allowed targets. */
export function parseAllow(row: AccessRow): Map<User, Set<Target>> {
  const allowed = new Map<User, Set<Target>>();
  for (const clause of row.allow
    .split(';')
    .map((c) => c.trim())
    .filter(Boolean)) {
    const [who, what] = clause.split(':').map((s) => s.trim());
    const targets = what === '*' ? [...TARGETS[row.scope]] : (what ?? '').split(/\s+/).filter(Boolean);
    for (const target of targets)
      if (!(TARGETS[row.scope] as readonly string[]).includes(target)) throw new Error(`${row.op}: target ${target} is not of scope ${row.scope}`);
    for (const user of (who ?? '').split(/\s+/).filter(Boolean)) {
      if (!(user in USERS)) throw new Error(`${row.op}: unknown user ${user}`);
      allowed.set(user as User, new Set([...(allowed.get(user as User) ?? []), ...(targets as Target[])]));
    }
  }
  return allowed;
}
