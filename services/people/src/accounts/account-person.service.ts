import { randomUUID } from 'node:crypto';
import { DomainError, requireAction, tryParseGlobalId } from '@district/kit';
import type { PeopleContext } from '../context';
import { PersonKind, TYPE_OF_KIND, type AccountPersonRow } from './account-person.type';

/** At most this many persons per call (a school's people fit in a few such calls). */
export const MAX_ACCOUNT_PERSON_IDS = 2000;

const KIND_OF_TYPE = new Map(Object.entries(TYPE_OF_KIND).map(([kind, type]) => [type, kind as PersonKind]));
const TABLE_OF_KIND: Record<PersonKind, string> = { STAFF: 'people.staff', STUDENT: 'people.student', GUARDIAN: 'people.guardian' };

/** A person asked for by global id: its kind and row id in this school's database. */
interface PersonRef {
  id: string;
  kind: PersonKind;
  localId: number;
}

const keyOf = (kind: PersonKind, localId: number) => `${kind}:${localId}`;

/**
 * Every person of the school in one statement, with whether they are current:
 * staff who are active, students enrolled now (an enrollment without an end
 * date, as Student.classGroup reads it), guardians of at least one of them.
 * `%FILTER%` is the caller's condition on the `persons` columns.
 */
const PERSONS = `
  with enrolled as (
    select e.student_id, c.name as class_group_name
      from people.enrollment e join people.class_group c on c.id = e.class_group_id
     where e.end_date is null
  ), parents as (
    select distinct gs.guardian_id from people.guardianship gs join enrolled en on en.student_id = gs.student_id
  ), persons as (
    select 'STAFF' as kind, 1 as kind_order, s.id as local_id, s.last_name, s.first_name, s.middle_name, s.email, s.person_id,
           s.active, s.position, null::varchar as class_group_name
      from people.staff s
    union all
    select 'STUDENT', 2, st.id, st.last_name, st.first_name, st.middle_name, null, st.person_id,
           en.student_id is not null, null, en.class_group_name
      from people.student st left join enrolled en on en.student_id = st.id
    union all
    select 'GUARDIAN', 3, g.id, g.last_name, g.first_name, g.middle_name, g.email, g.person_id,
           p.guardian_id is not null, null, null
      from people.guardian g left join parents p on p.guardian_id = g.id
  )
  select kind, local_id, last_name, first_name, middle_name, email, person_id, active, position, class_group_name
    from persons
   where %FILTER%
   order by kind_order, lower(translate(last_name, 'Ёё', 'Ее')), lower(translate(first_name, 'Ёё', 'Ее')), local_id`;

/**
 * The school's people as the identity service administers their accounts
 * (the `accounts:*` actions, checked by the operation guard before anything
 * here runs, and again here): who is current, and the district person id
 * each account carries. A fixed number of statements whatever the number of
 * persons.
 */
export class AccountPersonService {
  constructor(private readonly ctx: PeopleContext) {}

  /**
   * Without `ids`: every current person, by kind (staff, students, guardians),
   * then surname and name. With `ids`: those persons whatever their state, in
   * the order asked; ids that are not a person of this school are skipped.
   */
  async list(ids?: readonly string[] | null): Promise<AccountPersonRow[]> {
    requireAction(this.ctx.viewer, 'accounts:read', this.ctx.schoolId);
    if (ids === undefined || ids === null) return this.ctx.em.execute<AccountPersonRow[]>(PERSONS.replace('%FILTER%', 'active'));
    this.refuseTooMany(ids);
    const refs = this.refsOf(ids).found;
    return this.load(this.ctx.em, refs);
  }

  /**
   * Gives each listed person without a person id a fresh random one, in one
   * transaction, and returns the listed persons with theirs (old or new). A
   * person who has one keeps it, so a repeated call changes nothing. Any id
   * that is not a person of this school refuses the whole call.
   */
  async assignPersonIds(ids: readonly string[]): Promise<AccountPersonRow[]> {
    requireAction(this.ctx.viewer, 'accounts:manage', this.ctx.schoolId);
    this.refuseTooMany(ids);
    const { found, bad } = this.refsOf(ids);
    if (bad.length) throw this.notPersons(bad);
    return this.ctx.em.transactional(async (tx) => {
      const before = await this.load(tx, found);
      const loaded = new Set(before.map((row) => keyOf(row.kind, row.local_id)));
      const unknown = found.filter((ref) => !loaded.has(keyOf(ref.kind, ref.localId))).map((ref) => ref.id);
      if (unknown.length) throw this.notPersons(unknown);
      const without = before.filter((row) => !row.person_id);
      if (without.length === 0) return before;
      for (const kind of Object.values(PersonKind)) {
        const rows = without.filter((row) => row.kind === kind);
        if (rows.length === 0) continue;
        // `person_id is null` again: a concurrent call that assigned one first wins, and this one keeps it.
        // The version moves so that an edit form opened before (updateStaff & co. write personId) is refused as stale.
        await tx.execute(
          `update ${TABLE_OF_KIND[kind]} t set person_id = v.person_id, version = t.version + 1, updated_at = now()
             from unnest(array[?]::int[], array[?]::uuid[]) as v(id, person_id)
            where t.id = v.id and t.person_id is null`,
          [rows.map((row) => row.local_id), rows.map(() => randomUUID())],
        );
      }
      return this.load(tx, found);
    });
  }

  /** The persons named, in the order named (one statement). */
  private async load(em: PeopleContext['em'], refs: readonly PersonRef[]): Promise<AccountPersonRow[]> {
    if (refs.length === 0) return [];
    const idsOf = (kind: PersonKind) => refs.filter((ref) => ref.kind === kind).map((ref) => ref.localId);
    const byKind = Object.values(PersonKind).map((kind) => ({ kind, ids: idsOf(kind) }));
    const filter = byKind
      .filter(({ ids }) => ids.length > 0)
      .map(() => `(kind = ? and local_id = any(array[?]::int[]))`)
      .join(' or ');
    const params = byKind.filter(({ ids }) => ids.length > 0).flatMap(({ kind, ids }) => [kind, ids]);
    const rows = await em.execute<AccountPersonRow[]>(PERSONS.replace('%FILTER%', `(${filter})`), params);
    const byKey = new Map(rows.map((row) => [keyOf(row.kind, Number(row.local_id)), row]));
    return refs.flatMap((ref) => byKey.get(keyOf(ref.kind, ref.localId)) ?? []);
  }

  /** Parses the ids (each once, in the order given): persons of this school, and the ids that are not. */
  private refsOf(ids: readonly string[]): { found: PersonRef[]; bad: string[] } {
    const found: PersonRef[] = [];
    const bad: string[] = [];
    const seen = new Set<string>();
    for (const id of ids) {
      const parsed = tryParseGlobalId(id);
      const kind = parsed && KIND_OF_TYPE.get(parsed.type);
      if (!parsed || !kind || parsed.schoolId !== this.ctx.schoolId) {
        bad.push(id);
        continue;
      }
      const localId = Number(parsed.localId);
      if (!Number.isSafeInteger(localId) || localId > 2_147_483_647) {
        bad.push(id);
        continue;
      }
      const key = keyOf(kind, localId);
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({ id, kind, localId });
    }
    return { found, bad };
  }

  private refuseTooMany(ids: readonly string[]): void {
    if (ids.length > MAX_ACCOUNT_PERSON_IDS)
      throw DomainError.invalid(`Не больше ${MAX_ACCOUNT_PERSON_IDS} человек за один запрос (передано ${ids.length})`, [
        { field: 'ids', message: `at most ${MAX_ACCOUNT_PERSON_IDS}` },
      ]);
  }

  private notPersons(ids: readonly string[]): DomainError {
    const shown = ids.slice(0, 10).join(', ');
    const more = ids.length > 10 ? ` и ещё ${ids.length - 10}` : '';
    return DomainError.invalid(
      `Не сотрудник, не обучающийся и не представитель школы ${this.ctx.schoolId}: ${shown}${more}`,
      ids.map((id) => ({ field: 'ids', message: `not a person of this school: ${id}` })),
    );
  }
}
