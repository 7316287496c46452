import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { SchoolRecord } from './school.entity';

export enum SchoolStatusEnum {
  LIVE = 'LIVE',
  PILOT = 'PILOT',
  NOT_STARTED = 'NOT_STARTED',
}
registerEnumType(SchoolStatusEnum, { name: 'SchoolStatus', description: 'live (журнал ведётся), pilot (пилотный режим, параллельно с бумажным), not started' });

@ObjectType('SchoolInstances', { description: 'Where a school’s subgraph instances answer (internal: district admins and the gateway)' })
export class SchoolInstancesType {
  @Field(() => String, { nullable: true }) people?: string | null;
  @Field(() => String, { nullable: true }) schedule?: string | null;
  @Field(() => String, { nullable: true }) journal?: string | null;
}

@Directive('@key(fields: "id")')
@ObjectType('School', { description: 'A school of the district (образовательное учреждение), from the district registry' })
export class SchoolType {
  @Field(() => ID, { description: 'School code, e.g. s001' }) id!: string;
  @Field(() => String) fullName!: string;
  @Field(() => String) shortName!: string;
  @Field(() => String) address!: string;
  @Field(() => String, { nullable: true }) director?: string | null;
  @Field(() => SchoolStatusEnum) status!: SchoolStatusEnum;
  @Field(() => Int) version!: number;
  record!: SchoolRecord;

  static from(record: SchoolRecord): SchoolType {
    return Object.assign(new SchoolType(), {
      id: record.id,
      fullName: record.fullName,
      shortName: record.shortName,
      address: record.address,
      director: record.director ?? null,
      status: record.status as SchoolStatusEnum,
      version: record.version,
      record,
    });
  }
}
