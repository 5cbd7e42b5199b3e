// Deterministic Russian names for the demo campus (building 8 houses boys, building 9 girls).

export const MALE_FIRST_NAMES = [
  'Александр',
  'Дмитрий',
  'Максим',
  'Сергей',
  'Андрей',
  'Алексей',
  'Артём',
  'Илья',
  'Кирилл',
  'Михаил',
  'Никита',
  'Матвей',
  'Роман',
  'Егор',
  'Арсений',
  'Иван',
  'Денис',
  'Даниил',
  'Тимофей',
  'Владислав',
];

export const FEMALE_FIRST_NAMES = [
  'Анастасия',
  'Мария',
  'Анна',
  'Виктория',
  'Екатерина',
  'Наталья',
  'Дарья',
  'Алина',
  'Полина',
  'Елизавета',
  'Софья',
  'Ксения',
  'Валерия',
  'Вероника',
  'Арина',
  'Ольга',
  'Татьяна',
  'Юлия',
  'Алёна',
  'Варвара',
];

/** Male forms; every one takes "-а" in the female form. */
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
];

/** [male, female] patronymics. */
export const PATRONYMICS: ReadonlyArray<readonly [string, string]> = [
  ['Александрович', 'Александровна'],
  ['Дмитриевич', 'Дмитриевна'],
  ['Сергеевич', 'Сергеевна'],
  ['Андреевич', 'Андреевна'],
  ['Алексеевич', 'Алексеевна'],
  ['Михайлович', 'Михайловна'],
  ['Николаевич', 'Николаевна'],
  ['Иванович', 'Ивановна'],
  ['Владимирович', 'Владимировна'],
  ['Петрович', 'Петровна'],
  ['Викторович', 'Викторовна'],
  ['Олегович', 'Олеговна'],
];

export type Gender = 'male' | 'female';

const pick = <T>(list: readonly T[], index: number): T => list[index % list.length] as T;

export interface PersonName {
  firstName: string;
  lastName: string;
  patronymic: string;
}

/** The `seq`-th person of a gender; different seeds give a well-mixed sequence of names. */
export function personName(seq: number, gender: Gender): PersonName {
  const surname = pick(SURNAMES, seq * 11 + 3);
  const [malePatronymic, femalePatronymic] = pick(PATRONYMICS, seq * 5 + 1);
  return gender === 'male'
    ? { firstName: pick(MALE_FIRST_NAMES, seq * 7), lastName: surname, patronymic: malePatronymic }
    : { firstName: pick(FEMALE_FIRST_NAMES, seq * 7), lastName: `${surname}а`, patronymic: femalePatronymic };
}

/** A student's mother: "Фамилия Имя". */
export function parentName(seq: number, childLastName: string, childGender: Gender): string {
  const lastName = childGender === 'male' ? `${childLastName}а` : childLastName;
  return `${lastName} ${pick(FEMALE_FIRST_NAMES, seq * 3 + 5)}`;
}
