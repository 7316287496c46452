import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The district registry owns School; this subgraph adds the school's people figures. */
@Directive('@key(fields: "id")')
@ObjectType()
export class School {
  @Field(() => ID, { description: 'School code, e.g. s001' }) id!: string;
}
