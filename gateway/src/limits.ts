import {
  GraphQLError,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getNamedType,
  isListType,
  isNonNullType,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  /** Assumed size of a list whose field has no `limit`/`first` argument. */
  defaultListSize: number;
}

export const DEFAULT_LIMITS: QueryLimits = { maxDepth: 12, maxAliases: 30, maxCost: 50_000, maxTokens: 5_000, defaultListSize: 50 };

/**
 * What a list holds at most in practice, where that is far below the default
 * (a diary week has 7 days, a day ~8 lessons, a lesson a few marks): the cost
 * of a nested diary query stays honest instead of 50 × 50 × 50.
 */
export const LIST_SIZE_HINTS: Record<string, number> = {
  'Query.myChildren': 10,
  'Query.schools': 200,
  'Student.guardians': 4,
  'Guardian.children': 6,
  'ClassGroup.students': 40,
  'DiaryWeek.days': 7,
  'DiaryWeek.subjects': 25,
  'DiaryDay.lessons': 10,
  'DiaryLesson.marks': 5,
  'DiaryLesson.homeworkAttachments': 10,
  'DiarySubject.marks': 60,
  'LessonJournal.marks': 120,
  'LessonJournal.attendance': 40,
  'Lesson.changes': 10,
  // Answered whole by one set-based statement (or one stored document): the
  // items' fields are not resolved one by one, so the list costs like one item.
  'SchoolProgress.rows': 1,
  // A term's lessons of a class (up to ~100), their records, marks and attendance: a fixed number of statements (services/journal/test/class-journal.test.ts).
  'ClassJournal.lessons': 1,
  'SchoolProgress.studentsAtRisk': 1,
  // A student's progress for a period: one statement (services/journal/test/student-progress.test.ts).
  'StudentProgress.subjects': 1,
  'SubjectProgress.marks': 1,
  'StudentProgress.termGrades': 1,
  // The state portal's answers: the same progress and diary week, in the portal's own types.
  'PortalProgress.subjects': 1,
  'PortalSubjectProgress.marks': 1,
  'PortalProgress.termGrades': 1,
  'PortalDiary.days': 7,
  'PortalDiary.subjects': 25,
  'PortalDiaryDay.lessons': 10,
  'PortalDiaryLesson.marks': 5,
  'StudentAtRisk.lowSubjects': 1,
  'Query.monitoring': 1,
  'MonthlyReport.schools': 1,
  'MonthlyReport.changes': 1,
  'Query.monthlyReportVersions': 1,
};

/**
 * Introspection fields that may appear once per operation ("good faith"
 * introspection, as graphql-java does it): the schema graph is cyclic, so
 * `types { fields { type { fields { type … } } } }` multiplies the whole
 * schema at every level while staying shallow. The standard introspection
 * query names each of these once.
 */
const ONCE_PER_OPERATION = new Set(['Query.__schema', 'Query.__type', '__Type.fields', '__Type.inputFields', '__Type.interfaces', '__Type.possibleTypes']);

function limitError(limit: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit } });
}

/**
 * Walks each operation once (fragments inlined, with a guard against cycles)
 * and refuses it when it is too deep, has too many aliases or costs too much.
 * Depth counts every field, introspection included (`__schema`, `__type`,
 * `ofType` …): skipping `__` fields let a 30-level introspection query through.
 * Cost: every field costs 1, times the size of each list above it; a list's
 * size is its `limit`/`first` argument or `defaultListSize`. Introspection
 * adds no cost: it is answered by the gateway from its own schema, and its
 * size is bounded by the once-per-operation rule above instead.
 */
export function queryLimitsRule(limits: QueryLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

    const listSize = (field: FieldNode, type: GraphQLOutputType | undefined, parentName: string | undefined): number => {
      let t = type;
      if (t && isNonNullType(t)) t = t.ofType;
      if (!t || !isListType(t)) return 1;
      const arg = field.arguments?.find((a) => a.name.value === 'limit' || a.name.value === 'first');
      if (arg?.value.kind === Kind.INT) return Math.max(1, Number(arg.value.value));
      return LIST_SIZE_HINTS[`${parentName}.${field.name.value}`] ?? limits.defaultListSize;
    };

    return {
      OperationDefinition(operation) {
        const root =
          operation.operation === 'query'
            ? context.getSchema().getQueryType()
            : operation.operation === 'mutation'
              ? context.getSchema().getMutationType()
              : context.getSchema().getSubscriptionType();
        let maxDepth = 0;
        let aliases = 0;
        let cost = 0;
        const onceFields = new Map<string, number>();
        const walk = (set: SelectionSetNode, parentType: GraphQLNamedType | null | undefined, depth: number, multiplier: number, seen: Set<string>): void => {
          for (const selection of set.selections) {
            if (selection.kind === Kind.FIELD) {
              if (selection.alias) aliases++;
              maxDepth = Math.max(maxDepth, depth);
              const name = selection.name.value;
              const fieldDef = fieldOf(parentType, name, parentType === root);
              const introspection = name.startsWith('__') || parentType?.name.startsWith('__') === true;
              const coordinate = `${parentType?.name}.${name}`;
              if (ONCE_PER_OPERATION.has(coordinate)) onceFields.set(coordinate, (onceFields.get(coordinate) ?? 0) + 1);
              if (!introspection) cost += multiplier;
              const size = introspection ? 1 : listSize(selection, fieldDef?.type as GraphQLOutputType | undefined, parentType?.name);
              if (selection.selectionSet)
                walk(selection.selectionSet, fieldDef ? getNamedType(fieldDef.type) : undefined, depth + 1, Math.min(multiplier * size, 1e9), seen);
            } else if (selection.kind === Kind.INLINE_FRAGMENT) {
              const typeName = selection.typeCondition?.name.value;
              walk(selection.selectionSet, typeName ? context.getSchema().getType(typeName) : parentType, depth, multiplier, seen);
            } else {
              const name = selection.name.value;
              const fragment = fragments.get(name);
              if (!fragment || seen.has(name)) continue;
              walk(fragment.selectionSet, context.getSchema().getType(fragment.typeCondition.name.value), depth, multiplier, new Set([...seen, name]));
            }
          }
        };
        walk(operation.selectionSet, root, 1, 1, new Set());
        if (maxDepth > limits.maxDepth)
          context.reportError(limitError('depth', `Запрос слишком глубокий: глубина ${maxDepth}, предел ${limits.maxDepth} (depth limit)`));
        if (aliases > limits.maxAliases)
          context.reportError(limitError('aliases', `Слишком много псевдонимов: ${aliases}, предел ${limits.maxAliases} (alias limit)`));
        if (cost > limits.maxCost) context.reportError(limitError('cost', `Запрос слишком дорогой: стоимость ${cost}, предел ${limits.maxCost} (cost limit)`));
        const repeated = [...onceFields].filter(([, n]) => n > 1).map(([coordinate]) => coordinate);
        if (repeated.length)
          context.reportError(limitError('introspection', `Запрос к схеме может назвать ${repeated.join(', ')} не больше одного раза (introspection limit)`));
      },
    };
  };
}

/** A field's definition, the meta fields included (they are not in `getFields()`). */
function fieldOf(parentType: GraphQLNamedType | null | undefined, name: string, atRoot: boolean): GraphQLField<unknown, unknown> | undefined {
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (atRoot && name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
  if (atRoot && name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  return parentType && 'getFields' in parentType ? (parentType.getFields()[name] as GraphQLField<unknown, unknown> | undefined) : undefined;
}
