import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

/**
 * A teacher teaches a subject to a class group (or to one group of a split
 * class, e.g. «Английский, гр. 1») for an academic year. Staff, class group
 * and student ids are people's.
 */
@Entity({ tableName: 'teaching_assignment' })
export class TeachingAssignment {
  [OptionalProps]?: 'id' | 'version' | 'createdAt' | 'updatedAt';
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'integer' }) academicYearId!: number;
  @Property({ type: 'integer' }) classGroupId!: number;
  @Property({ type: 'integer' }) subjectId!: number;
  @Property({ type: 'integer' }) teacherStaffId!: number;
  /** null: the whole class takes the lessons; else only the students in AssignmentStudent. */
  @Property({ type: 'string', nullable: true }) groupName?: string | null;
  /** null: derived (year 1 ungraded, else the subject's grading); false: never graded; true: graded even in year 1. */
  @Property({ type: 'boolean', nullable: true }) graded?: boolean | null;
  @Property({ type: 'integer', version: true }) version!: number;
  @Property({ type: 'Date', onCreate: () => new Date() }) createdAt: Date = new Date();
  @Property({ type: 'Date', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}

/** A student of a split-class group. */
@Entity({ tableName: 'assignment_student' })
export class AssignmentStudent {
  [OptionalProps]?: 'id' | 'createdAt';
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'integer' }) teachingAssignmentId!: number;
  @Property({ type: 'integer' }) studentId!: number;
  @Property({ type: 'Date', onCreate: () => new Date() }) createdAt: Date = new Date();
}
