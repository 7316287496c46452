import { IDENTITY_KEY, Validator } from '@district/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { PortalMatchOutcome, type PortalMatchInput } from './portal.type';

export interface PortalMatch {
  outcome: PortalMatchOutcome;
  studentId?: number;
  fullName?: string;
  classGroup?: string | null;
}

/** Names compared as a Russian clerk would: case and Ё/Е do not matter, spaces around do not. */
const FOLD = (column: string) => `translate(lower(trim(${column})), 'ё', 'е')`;

/** Keys are 64 hex characters; names and the birth date are needed together when the child has no key. */
export function checkPortalMatch(match: PortalMatchInput): void {
  const v = new Validator();
  v.check(IDENTITY_KEY.test(match.applicantKey), 'applicantKey', 'Ключ заявителя: 64 шестнадцатеричных символа');
  if (match.childKey != null) v.check(IDENTITY_KEY.test(match.childKey), 'childKey', 'Ключ ребёнка: 64 шестнадцатеричных символа');
  else {
    v.text('lastName', match.lastName, { max: 100, label: 'Фамилия ребёнка' });
    v.text('firstName', match.firstName, { max: 100, label: 'Имя ребёнка' });
    v.date('birthDate', match.birthDate, { label: 'Дата рождения ребёнка', min: '1990-01-01', max: '2100-01-01' });
  }
  v.done('Запрос портала заполнен неверно');
}

/**
 * Finds the child among the school's students enrolled today (by key, or
 * by surname, name and birth date) and decides whether the applicant is one of
 * the child's guardians (by the guardian's key). Two statements whatever the
 * school's size; reads people's published facts (portal_child_facts,
 * portal_guardian_facts), never people's tables.
 */
export async function matchPortalChild(em: EntityManager, match: PortalMatchInput): Promise<PortalMatch> {
  checkPortalMatch(match);
  const byKey = match.childKey != null;
  const children = await em.execute<{ student_id: number; full_name: string; class_group: string | null }[]>(
    `select c.student_id, concat_ws(' ', c.last_name, c.first_name, c.middle_name) as full_name, g.name as class_group
       from people.portal_child_facts c
       join people.enrollment_facts e on e.student_id = c.student_id and e.start_date <= current_date and (e.end_date is null or e.end_date >= current_date)
       left join people.class_group_facts g on g.class_group_id = e.class_group_id
      where ${byKey ? 'c.child_key = ?' : `${FOLD('c.last_name')} = ${FOLD('?')} and ${FOLD('c.first_name')} = ${FOLD('?')} and c.birth_date = ?::date`}
      limit 2`,
    byKey ? [match.childKey] : [match.lastName, match.firstName, match.birthDate],
  );
  if (children.length === 0) return { outcome: PortalMatchOutcome.CHILD_NOT_FOUND };
  if (children.length > 1) return { outcome: PortalMatchOutcome.AMBIGUOUS_CHILD };
  const [child] = children as [(typeof children)[number]];
  const [link] = await em.execute<{ n: number }[]>(`select count(*)::int as n from people.portal_guardian_facts where student_id = ? and guardian_key = ?`, [
    child.student_id,
    match.applicantKey,
  ]);
  if (!link || link.n === 0) return { outcome: PortalMatchOutcome.NOT_A_GUARDIAN, studentId: child.student_id };
  return { outcome: PortalMatchOutcome.FOUND, studentId: child.student_id, fullName: child.full_name, classGroup: child.class_group };
}
