/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** The applicant as the state portal verified them */
export type PortalApplicantInput = {
  /** СНИЛС заявителя: 11 digits, spaces and dashes allowed */
  snils: string;
};

/** The child: by SNILS, or by surname, name and birth date */
export type PortalChildInput = {
  /** YYYY-MM-DD or ДД.ММ.ГГГГ */
  birthDate?: string | null | undefined;
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  /** СНИЛС ребёнка (preferred) */
  snils?: string | null | undefined;
};

export type PortalDiaryQueryVariables = Exact<{
  applicant: PortalApplicantInput;
  child: PortalChildInput;
  weekStart: string;
}>;


export type PortalDiaryQuery = { portalDiary: { requestId: string, weekStart: string, term: string | null, child: { schoolId: string, schoolName: string, fullName: string, classGroup: string | null }, days: Array<{ date: string, weekday: string, lessons: Array<{ period: number, startTime: string, endTime: string, subject: string, cancelled: boolean, topic: string | null, homework: string | null, attendance: string | null, marks: Array<{ date: string, value: string, controlForm: string, weight: number, comment: string | null }> }> }>, subjects: Array<{ subject: string, average: number | null, marksCount: number }> } };

export type PortalProgressQueryVariables = Exact<{
  applicant: PortalApplicantInput;
  child: PortalChildInput;
  from: string;
  to: string;
}>;


export type PortalProgressQuery = { portalProgress: { requestId: string, from: string, to: string, child: { schoolId: string, schoolName: string, fullName: string, classGroup: string | null }, subjects: Array<{ subject: string, marksCount: number, average: number | null, marks: Array<{ date: string, value: string, controlForm: string, weight: number, comment: string | null }> }>, attendance: { lessons: number, absent: number, sick: number, excused: number, late: number }, termGrades: Array<{ term: string, subject: string, grade: string }> } };
