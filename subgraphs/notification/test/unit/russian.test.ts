import {
  capitalize,
  clause,
  dateTimeFormatter,
  formatLocalDate,
  formatLocalDates,
  formatMonth,
  plural,
  residencePhrase,
} from '../../src/domain/russian';

describe('Russian wording', () => {
  it('chooses plural forms', () => {
    const forms = ['студент', 'студента', 'студентов'] as const;
    expect([1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111].map((n) => plural(n, forms))).toEqual([
      'студент',
      'студента',
      'студента',
      'студентов',
      'студентов',
      'студентов',
      'студентов',
      'студент',
      'студента',
      'студентов',
      'студент',
      'студентов',
    ]);
  });

  it('shows instants in campus time and calendar dates as they are', () => {
    expect(dateTimeFormatter('Europe/Moscow')('2026-11-25T21:30:00Z')).toBe('26 ноября в 00:30');
    expect(dateTimeFormatter('Asia/Yekaterinburg')('2026-11-25T21:30:00Z')).toBe('26 ноября в 02:30');
    expect(formatLocalDate('2026-03-01')).toBe('1 марта');
  });

  it('names a month and lists dates, each month once after its last day', () => {
    expect(formatMonth('2026-12')).toBe('декабрь 2026');
    expect(formatMonth('2027-05')).toBe('май 2027');
    expect(formatLocalDates(['2026-12-05'])).toBe('5 декабря');
    expect(formatLocalDates(['2026-12-19', '2026-12-05'])).toBe('5 и 19 декабря');
    expect(formatLocalDates(['2026-12-02', '2026-12-12', '2026-12-22', '2026-12-12'])).toBe('2, 12 и 22 декабря');
    expect(formatLocalDates(['2026-11-30', '2026-12-02', '2026-12-09'])).toBe('30 ноября, 2 и 9 декабря');
    expect(formatLocalDates([])).toBe('');
  });

  it('phrases a residence and embeds free text', () => {
    expect(residencePhrase({ building: '9', entrance: 4, room: '5142' })).toBe('корпус 9, подъезд 4, комната 5142');
    expect(residencePhrase({ building: '9', entrance: 4 })).toBe('корпус 9, подъезд 4');
    expect(clause('  Болезнь...  ')).toBe('Болезнь');
    expect(capitalize('корпус')).toBe('Корпус');
  });
});
