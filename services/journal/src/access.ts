import type { OperationRules } from '@district/kit';

/**
 * The journal's operations and the policy action each needs (kit policy.ts).
 * Checked before a resolver runs; the finer rules follow in the services:
 * entries only on the lesson's own teacher's lessons (lessons/entry-rules.ts),
 * diaries only of the students the viewer may read (diary/diary.service.ts),
 * grade sheets of the classes a teacher teaches or leads (term-grades/grade-scope.ts).
 */
export const OPERATIONS = {
  'Query.verifyAudit': 'audit:verify',
  'Query.entryHistory': 'journal:control',
  'Query.classJournal': 'staff:work',
  'Query.controlForms': 'school:reach',
  'Query.journalSettings': 'school:reach',
  'Query.journalFill': 'aggregates:read',
  'Query.correctionRequests': 'staff:work',
  // Students, parents, teachers, leaders and an admin with an opened access: each told their own rule.
  'Query.diary': 'school:reach',
  // The diary's readers, by the diary's rule (progress/student-progress.service.ts).
  'Query.studentProgress': 'school:reach',
  'Query.lessonJournal': 'staff:work',
  'Query.termGradeSheet': 'staff:work',
  'Query.yearGradeSheet': 'staff:work',
  'Mutation.enterAttendance': 'journal:sign',
  'Mutation.editAttendance': 'journal:sign',
  'Mutation.withdrawAttendance': 'journal:sign',
  'Mutation.enterMarks': 'journal:sign',
  'Mutation.editMark': 'journal:sign',
  'Mutation.withdrawMark': 'journal:sign',
  'Mutation.setLessonRecord': 'journal:sign',
  'Mutation.setTermGrades': 'journal:enter',
  'Mutation.setYearGrades': 'journal:enter',
  'Mutation.decideCorrection': 'journal:control',
  'Mutation.setControlForm': 'school:manage',
  'Mutation.setEditWindow': 'school:manage',
} as const satisfies OperationRules;
