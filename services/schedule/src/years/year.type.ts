import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '@district/kit';
import type { AcademicYear, Holiday, Term } from './year.entity';

export enum TermKindEnum {
  QUARTER = 'quarter',
  TRIMESTER = 'trimester',
  HALF_YEAR = 'half_year',
}
registerEnumType(TermKindEnum, { name: 'TermKind', description: 'Четверть, триместр или полугодие' });

@ObjectType('AcademicYear', { description: 'Учебный год, e.g. 2026/2027' })
export class AcademicYearType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'e.g. 2026/2027' }) name!: string;
  @Field(() => String) startDate!: string;
  @Field(() => String) endDate!: string;
  @Field(() => Int) version!: number;
  localId!: number;

  static from(entity: AcademicYear, schoolId: string): AcademicYearType {
    return Object.assign(new AcademicYearType(), {
      id: toGlobalId('AcademicYear', schoolId, entity.id),
      localId: entity.id,
      name: entity.name,
      startDate: entity.startDate,
      endDate: entity.endDate,
      version: entity.version,
    });
  }
}

@Directive('@key(fields: "id")')
@ObjectType('Term', { description: 'A term of an academic year for some years of study; once closed, its journal is locked' })
export class TermType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'e.g. «1 четверть»' }) name!: string;
  @Field(() => TermKindEnum) kind!: TermKindEnum;
  @Field(() => Int) number!: number;
  @Field(() => String) startDate!: string;
  @Field(() => String) endDate!: string;
  @Field(() => Int, { description: 'The term applies to years of study yearsFrom..yearsTo' }) yearsFrom!: number;
  @Field(() => Int) yearsTo!: number;
  @Field(() => Boolean) closed!: boolean;
  @Field(() => String, { nullable: true, description: 'When it was closed (ISO timestamp)' }) closedAt?: string | null;
  @Field(() => Int) version!: number;
  localId!: number;
  academicYearId!: number;

  static from(entity: Term, schoolId: string): TermType {
    return Object.assign(new TermType(), {
      id: toGlobalId('Term', schoolId, entity.id),
      localId: entity.id,
      academicYearId: entity.academicYearId,
      name: entity.name,
      kind: entity.kind as TermKindEnum,
      number: entity.number,
      startDate: entity.startDate,
      endDate: entity.endDate,
      yearsFrom: entity.yearsFrom,
      yearsTo: entity.yearsTo,
      closed: !!entity.closedAt,
      closedAt: entity.closedAt ? new Date(entity.closedAt).toISOString() : null,
      version: entity.version,
    });
  }
}

@ObjectType('Holiday', { description: 'Каникулы or a public holiday: no lessons on these dates' })
export class HolidayType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) startDate!: string;
  @Field(() => String) endDate!: string;
  @Field(() => Int) version!: number;

  static from(entity: Holiday, schoolId: string): HolidayType {
    return Object.assign(new HolidayType(), {
      id: toGlobalId('Holiday', schoolId, entity.id),
      name: entity.name,
      startDate: entity.startDate,
      endDate: entity.endDate,
      version: entity.version,
    });
  }
}
