/**
 * OneRoster 1.2 status-info payloads: what a failed request answers with.
 *
 * Shape and vocabulary are those of the 1.2 Rostering REST/JSON binding's OpenAPI file
 * (components imsx_StatusInfoDType, imsx_CodeMinorDType, imsx_CodeMinorFieldDType): the body IS the
 * imsx_StatusInfo object (not wrapped), imsx_codeMajor and imsx_severity are required, and
 * imsx_codeMinorFieldName "in most cases ... will be the target service provider denoted as 'TargetEndSystem'".
 * The code-minor vocabulary of 1.2 is exactly: fullsuccess, invalid_filter_field, invalid_selection_field,
 * invaliddata, unauthorisedrequest, forbidden, server_busy, unknownobject, internal_server_error.
 * 1.1's invalid_sort_field and invalid_blank_selection_field are not in it (see query-params.ts for what a bad
 * sort or an empty `fields` answer instead).
 *
 * 1.2 defines no warning form for a partly successful read: "For the OneRoster Rostering service this object
 * will only be returned to provide information about a failed request i.e. it will NOT be in the payload for a
 * successful request", and every collection payload (e.g. UserSetDType) has additionalProperties: false. So a
 * 200 cannot carry an imsx_statusInfoSet; apply.ts has the header this platform uses instead.
 */

export type ImsxCodeMajor = 'success' | 'processing' | 'failure' | 'unsupported';
export type ImsxSeverity = 'status' | 'warning' | 'error';
export type ImsxCodeMinorValue =
  | 'fullsuccess'
  | 'invalid_filter_field'
  | 'invalid_selection_field'
  | 'invaliddata'
  | 'unauthorisedrequest'
  | 'forbidden'
  | 'server_busy'
  | 'unknownobject'
  | 'internal_server_error';

export interface ImsxStatusInfo {
  imsx_codeMajor: ImsxCodeMajor;
  imsx_severity: ImsxSeverity;
  imsx_description?: string;
  imsx_CodeMinor?: {
    imsx_codeMinorField: { imsx_codeMinorFieldName: string; imsx_codeMinorFieldValue: ImsxCodeMinorValue }[];
  };
}

/** The HTTP status the 1.2 OpenAPI gives each code minor of a failed request. */
export type OneRosterErrorStatus = 400 | 401 | 403 | 404 | 422 | 429 | 500;

export interface OneRosterErrorResponse {
  readonly status: OneRosterErrorStatus;
  readonly body: ImsxStatusInfo;
}

function failure(status: OneRosterErrorStatus, codeMinor: ImsxCodeMinorValue, description: string): OneRosterErrorResponse {
  return {
    status,
    body: {
      imsx_codeMajor: 'failure',
      imsx_severity: 'error',
      imsx_description: description,
      imsx_CodeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldName: 'TargetEndSystem', imsx_codeMinorFieldValue: codeMinor }] },
    },
  };
}

/** 400: the filter names a field the endpoint cannot filter on, or is not of the spec's grammar, or its value does not fit the field. */
export function invalidFilterField(description: string): OneRosterErrorResponse {
  return failure(400, 'invalid_filter_field', description);
}

/** 400: `fields` names a field the endpoint does not have (1.2 refuses; 1.1 answered all fields with a warning). */
export function invalidSelectionField(description: string): OneRosterErrorResponse {
  return failure(400, 'invalid_selection_field', description);
}

/** 400: a query parameter other than filter/fields is malformed or out of range (limit, offset, sort, orderBy). */
export function invalidData(description: string): OneRosterErrorResponse {
  return failure(400, 'invaliddata', description);
}

/** 422: a request body (gradebook PUT/POST) is well-formed JSON with semantically wrong content. */
export function invalidRequestBody(description: string): OneRosterErrorResponse {
  return failure(422, 'invaliddata', description);
}

/** 401: no token, or a token that is not valid. */
export function unauthorisedRequest(description = 'Запрос не авторизован: нужен действующий токен доступа.'): OneRosterErrorResponse {
  return failure(401, 'unauthorisedrequest', description);
}

/** 403: the caller is known, but this data is not theirs to read (or the scope does not cover the endpoint). */
export function forbidden(description = 'Доступ к этим данным запрещён.'): OneRosterErrorResponse {
  return failure(403, 'forbidden', description);
}

/** 404: no object with this sourcedId; the OpenAPI asks that "the statement 'Unknown Object' should also be presented". */
export function unknownObject(sourcedId: string): OneRosterErrorResponse {
  return failure(404, 'unknownobject', `Unknown Object: нет объекта с sourcedId «${sourcedId}».`);
}

/** 429: too many requests; the caller should retry later. */
export function serverBusy(description = 'Сервер перегружен запросами, повторите позже.'): OneRosterErrorResponse {
  return failure(429, 'server_busy', description);
}

/** 500: only for a failure no other code describes. */
export function internalServerError(description = 'Внутренняя ошибка сервера.'): OneRosterErrorResponse {
  return failure(500, 'internal_server_error', description);
}
