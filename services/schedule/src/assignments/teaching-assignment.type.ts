import { Field, ID, Int, ObjectType } from 'type-graphql';
import { toGlobalId } from '@district/kit';
import type { TeachingAssignment } from './teaching-assignment.entity';

@ObjectType('TeachingAssignment', { description: 'A teacher × a class group (or a group of it) × a subject, for an academic year' })
export class TeachingAssignmentType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true, description: 'e.g. «Английский, гр. 1» when the class is split; null: the whole class' }) groupName?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Override of the grading: null derives it (year 1 ungraded)' }) graded?: boolean | null;
  @Field(() => Int) version!: number;
  localId!: number;
  academicYearId!: number;
  classGroupId!: number;
  subjectId!: number;
  teacherStaffId!: number;

  static from(entity: TeachingAssignment, schoolId: string): TeachingAssignmentType {
    return Object.assign(new TeachingAssignmentType(), {
      id: toGlobalId('TeachingAssignment', schoolId, entity.id),
      localId: entity.id,
      academicYearId: entity.academicYearId,
      classGroupId: entity.classGroupId,
      subjectId: entity.subjectId,
      teacherStaffId: entity.teacherStaffId,
      groupName: entity.groupName ?? null,
      graded: entity.graded ?? null,
      version: entity.version,
    });
  }
}
