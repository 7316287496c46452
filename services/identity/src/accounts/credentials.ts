import { randomInt } from 'node:crypto';
import { DomainError } from '@district/kit';

/** Russian letters in Latin as in Russian passports (Order of the Ministry of Internal Affairs No. 889, ICAO Doc 9303). */
const LATIN: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: 'ie',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'iu',
  я: 'ia',
};

export function transliterate(text: string): string {
  return [...text.toLowerCase()]
    .map((c) => LATIN[c] ?? c)
    .join('')
    .replace(/[^a-z0-9]/g, '');
}

/**
 * The username rule: surname and initials in Latin letters, `ivanova.ap`;
 * the second person with the same gets `ivanova.ap2`, and so on. Usernames
 * are not tied to a school, because a parent's account serves every school
 * of their children.
 */
export function usernameCandidates(person: { lastName: string; firstName: string; middleName?: string | null }): (n: number) => string {
  const surname = transliterate(person.lastName) || 'user';
  const initials = `${transliterate(person.firstName).slice(0, 1)}${transliterate(person.middleName ?? '').slice(0, 1)}`;
  const base = initials ? `${surname}.${initials}` : surname;
  return (n) => (n <= 1 ? base : `${base}${n}`);
}

/** The first free username for the person by the rule (at most 50 tries), asking `taken` (Keycloak) for each. */
export async function freeUsername(
  person: { lastName: string; firstName: string; middleName?: string | null },
  taken: (username: string) => Promise<boolean>,
): Promise<string> {
  const candidate = usernameCandidates(person);
  for (let n = 1; n <= 50; n++) if (!(await taken(candidate(n)))) return candidate(n);
  throw DomainError.duplicate(`Свободное имя входа для «${candidate(1)}» не найдено`);
}

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';

/**
 * A temporary password that meets the realm's policy (12+ characters, upper
 * and lower case, a digit): 14 characters without the easily confused
 * 0/O, 1/l/I, so it can be read out or printed for a parent.
 */
export function temporaryPassword(): string {
  const all = UPPER + LOWER + DIGITS;
  const chars = [UPPER, LOWER, DIGITS].map((set) => set[randomInt(set.length)]!);
  while (chars.length < 14) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
