/**
 * The OneRoster 1.2 response schemas (README.md in this folder: where each was written from) compiled once with
 * ajv, for the endpoints' tests and for any check of a payload before it leaves the portal.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import academicSessionSet from './academic-session-set.schema.json';
import academicSession from './academic-session.schema.json';
import categorySet from './category-set.schema.json';
import category from './category.schema.json';
import classSet from './class-set.schema.json';
import klass from './class.schema.json';
import common from './common.schema.json';
import courseSet from './course-set.schema.json';
import course from './course.schema.json';
import enrollmentSet from './enrollment-set.schema.json';
import enrollment from './enrollment.schema.json';
import guidRef from './guid-ref.schema.json';
import imsxStatusInfo from './imsx-status-info.schema.json';
import lineItemSet from './line-item-set.schema.json';
import lineItem from './line-item.schema.json';
import orgSet from './org-set.schema.json';
import org from './org.schema.json';
import resultSet from './result-set.schema.json';
import result from './result.schema.json';
import singleAcademicSession from './single-academic-session.schema.json';
import singleCategory from './single-category.schema.json';
import singleClass from './single-class.schema.json';
import singleCourse from './single-course.schema.json';
import singleEnrollment from './single-enrollment.schema.json';
import singleLineItem from './single-line-item.schema.json';
import singleOrg from './single-org.schema.json';
import singleResult from './single-result.schema.json';
import singleUser from './single-user.schema.json';
import userSet from './user-set.schema.json';
import user from './user.schema.json';

/** Named as the spec names the type (OrgDType → Org, OrgSetDType → OrgSet, SingleOrgDType → SingleOrg). */
const SCHEMAS = {
  GUIDRef: guidRef,
  Org: org,
  AcademicSession: academicSession,
  Course: course,
  Class: klass,
  User: user,
  Enrollment: enrollment,
  Category: category,
  LineItem: lineItem,
  Result: result,
  OrgSet: orgSet,
  SingleOrg: singleOrg,
  AcademicSessionSet: academicSessionSet,
  SingleAcademicSession: singleAcademicSession,
  CourseSet: courseSet,
  SingleCourse: singleCourse,
  ClassSet: classSet,
  SingleClass: singleClass,
  UserSet: userSet,
  SingleUser: singleUser,
  EnrollmentSet: enrollmentSet,
  SingleEnrollment: singleEnrollment,
  CategorySet: categorySet,
  SingleCategory: singleCategory,
  LineItemSet: lineItemSet,
  SingleLineItem: singleLineItem,
  ResultSet: resultSet,
  SingleResult: singleResult,
  imsx_StatusInfo: imsxStatusInfo,
} as const;

export type OneRosterSchemaName = keyof typeof SCHEMAS;
export const ONEROSTER_SCHEMA_NAMES = Object.keys(SCHEMAS) as OneRosterSchemaName[];

/**
 * Which payload each read endpoint answers with (the OpenAPI's 200 responses). The specialised collections reuse
 * the general payloads, so /schools answers `{ orgs }`, /terms `{ academicSessions }`, /students `{ users }`.
 */
export const RESPONSE_SCHEMA = {
  '/orgs': 'OrgSet',
  '/orgs/{sourcedId}': 'SingleOrg',
  '/schools': 'OrgSet',
  '/schools/{sourcedId}': 'SingleOrg',
  '/academicSessions': 'AcademicSessionSet',
  '/academicSessions/{sourcedId}': 'SingleAcademicSession',
  '/terms': 'AcademicSessionSet',
  '/terms/{sourcedId}': 'SingleAcademicSession',
  '/gradingPeriods': 'AcademicSessionSet',
  '/gradingPeriods/{sourcedId}': 'SingleAcademicSession',
  '/courses': 'CourseSet',
  '/courses/{sourcedId}': 'SingleCourse',
  '/classes': 'ClassSet',
  '/classes/{sourcedId}': 'SingleClass',
  '/users': 'UserSet',
  '/users/{sourcedId}': 'SingleUser',
  '/students': 'UserSet',
  '/students/{sourcedId}': 'SingleUser',
  '/teachers': 'UserSet',
  '/teachers/{sourcedId}': 'SingleUser',
  '/enrollments': 'EnrollmentSet',
  '/enrollments/{sourcedId}': 'SingleEnrollment',
  '/categories': 'CategorySet',
  '/categories/{sourcedId}': 'SingleCategory',
  '/lineItems': 'LineItemSet',
  '/lineItems/{sourcedId}': 'SingleLineItem',
  '/results': 'ResultSet',
  '/results/{sourcedId}': 'SingleResult',
} as const satisfies Record<string, OneRosterSchemaName>;

export type OneRosterSchemaError = ErrorObject;

export type OneRosterValidate = (name: OneRosterSchemaName, document: unknown) => OneRosterSchemaError[];

/** Compiles every schema (they reference common and guid-ref by relative $ref) and returns the validator. */
export function compileOneRosterSchemas(): OneRosterValidate {
  // strict: a typo in a schema keyword fails here, not as a silently ignored constraint.
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv, ['date', 'date-time', 'uri']);
  ajv.addSchema(common);
  for (const schema of Object.values(SCHEMAS)) ajv.addSchema(schema);
  const compiled = new Map<OneRosterSchemaName, ValidateFunction>();
  for (const name of ONEROSTER_SCHEMA_NAMES) {
    const validate = ajv.getSchema(SCHEMAS[name].$id);
    if (!validate) throw new Error(`OneRoster schema ${name} did not compile`);
    compiled.set(name, validate);
  }
  return (name, document) => {
    const validate = compiled.get(name);
    if (!validate) throw new Error(`Unknown OneRoster schema ${String(name)}`);
    return validate(document) ? [] : [...(validate.errors ?? [])];
  };
}
