import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { toGlobalId } from '@district/kit';
import type { ClassGroup, Enrollment } from './class-group.entity';

@Directive('@key(fields: "id")')
@ObjectType('ClassGroup', { description: 'A class group such as "5А" (year of study 5, letter А)' })
export class ClassGroupType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => Int) yearOfStudy!: number;
  @Field(() => String, { description: 'e.g. 2026/2027' }) academicYear!: string;
  @Field(() => Int) version!: number;
  localId!: number;
  classTeacherId?: number | null;

  static from(entity: ClassGroup, schoolId: string): ClassGroupType {
    return Object.assign(new ClassGroupType(), {
      id: toGlobalId('ClassGroup', schoolId, entity.id),
      localId: entity.id,
      name: entity.name,
      yearOfStudy: entity.yearOfStudy,
      academicYear: entity.academicYear,
      version: entity.version,
      classTeacherId: entity.classTeacherId ?? null,
    });
  }
}

@ObjectType('Enrollment', { description: 'A student’s membership of a class group between two dates' })
export class EnrollmentType {
  @Field(() => ID) id!: string;
  @Field(() => String) startDate!: string;
  @Field(() => String, { nullable: true }) endDate?: string | null;
  studentId!: number;
  classGroupId!: number;

  static from(entity: Enrollment, schoolId: string): EnrollmentType {
    return Object.assign(new EnrollmentType(), {
      id: toGlobalId('Enrollment', schoolId, entity.id),
      startDate: entity.startDate,
      endDate: entity.endDate ?? null,
      studentId: entity.studentId,
      classGroupId: entity.classGroupId,
    });
  }
}
