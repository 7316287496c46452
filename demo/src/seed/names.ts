/** Russian names for the demo district, male and female forms. */
export const SURNAMES = [
  'Иванов',
  'Смирнов',
  'Кузнецов',
  'Попов',
  'Васильев',
  'Петров',
  'Соколов',
  'Михайлов',
  'Новиков',
  'Фёдоров',
  'Морозов',
  'Волков',
  'Алексеев',
  'Лебедев',
  'Семёнов',
  'Егоров',
  'Павлов',
  'Козлов',
  'Степанов',
  'Николаев',
  'Орлов',
  'Андреев',
  'Макаров',
  'Никитин',
  'Захаров',
  'Зайцев',
  'Соловьёв',
  'Борисов',
  'Яковлев',
  'Григорьев',
  'Романов',
  'Воробьёв',
  'Сергеев',
  'Кузьмин',
  'Фролов',
  'Александров',
  'Дмитриев',
  'Королёв',
  'Гусев',
  'Киселёв',
];
export const MALE_NAMES = [
  'Александр',
  'Максим',
  'Иван',
  'Артём',
  'Дмитрий',
  'Никита',
  'Михаил',
  'Даниил',
  'Егор',
  'Андрей',
  'Кирилл',
  'Илья',
  'Матвей',
  'Тимофей',
  'Роман',
  'Владимир',
  'Ярослав',
  'Фёдор',
  'Георгий',
  'Лев',
];
export const FEMALE_NAMES = [
  'Анастасия',
  'Мария',
  'Анна',
  'Виктория',
  'Екатерина',
  'Софья',
  'Алиса',
  'Дарья',
  'Полина',
  'Елизавета',
  'Ксения',
  'Варвара',
  'Александра',
  'Вероника',
  'Арина',
  'Ульяна',
  'Милана',
  'Ева',
  'Василиса',
  'Таисия',
];
export const FATHER_NAMES = [
  'Александр',
  'Сергей',
  'Андрей',
  'Алексей',
  'Дмитрий',
  'Игорь',
  'Олег',
  'Николай',
  'Павел',
  'Михаил',
  'Евгений',
  'Владимир',
  'Юрий',
  'Виктор',
  'Константин',
];

/** Surname in the female form: Иванов → Иванова, Соловьёв → Соловьёва. */
export function femaleSurname(surname: string): string {
  return /(ов|ев|ёв|ин)$/.test(surname) ? `${surname}а` : surname;
}

/** Patronymic from the father's name: Сергей → Сергеевич / Сергеевна. */
export function patronymic(father: string, female: boolean): string {
  const special: Record<string, [string, string]> = {
    Евгений: ['Евгеньевич', 'Евгеньевна'],
    Николай: ['Николаевич', 'Николаевна'],
    Павел: ['Павлович', 'Павловна'],
    Михаил: ['Михайлович', 'Михайловна'],
    Юрий: ['Юрьевич', 'Юрьевна'],
  };
  const s = special[father];
  if (s) return female ? s[1] : s[0];
  const stem = /[йь]$/.test(father) ? `${father.slice(0, -1)}е` : `${father}о`;
  return `${stem}${female ? 'вна' : 'вич'}`;
}

/** A small deterministic generator, so every demo run has the same people. */
export function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}
