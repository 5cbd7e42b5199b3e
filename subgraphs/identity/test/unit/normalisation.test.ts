import { parseInput } from '@campus/platform';
import { csvField, toCsv } from '../../src/domain/csv';
import { loginArgsSchema } from '../../src/schemas/auth';
import { normalizeEmail, normalizePhone, parseCalendarDate } from '../../src/schemas/common';
import { addRoomsInputSchema } from '../../src/schemas/campus';
import { createUserInputSchema, updateUserInputSchema, userFilterSchema } from '../../src/schemas/users';

describe('phone normalisation (Russian numbers → +7XXXXXXXXXX)', () => {
  it.each([
    ['9001234567', '+79001234567'],
    ['+7 900 123-45-67', '+79001234567'],
    ['8 (900) 123-45-67', '+79001234567'],
    ['79001234567', '+79001234567'],
    ['8.862.262.00.00', '+78622620000'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });

  it.each(['12345', '+19001234567', '+8 900 123 45 67', '+9001234567', '59001234567', '900123456789', 'phone'])(
    'refuses %s',
    (raw) => {
      expect(normalizePhone(raw)).toBeNull();
    },
  );
});

describe('e-mail normalisation', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Ivan.Petrov@Sirius.LOCAL ')).toBe('ivan.petrov@sirius.local');
    expect(parseInput(loginArgsSchema, { email: ' ADMIN@sirius.local', password: 'x' }).email).toBe(
      'admin@sirius.local',
    );
  });

  it('validates addresses on user creation', () => {
    expect(() =>
      parseInput(createUserInputSchema, { email: 'not-an-email', password: 'x', firstName: 'A', lastName: 'B' }),
    ).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_ERROR',
        details: { fields: { email: 'must be a valid e-mail address' } },
      }),
    );
  });
});

describe('calendar dates', () => {
  it('reads ISO and Russian notation, refusing impossible dates', () => {
    expect(parseCalendarDate('2026-09-01')?.toISOString()).toBe('2026-09-01T00:00:00.000Z');
    expect(parseCalendarDate('01.09.2026')?.toISOString()).toBe('2026-09-01T00:00:00.000Z');
    expect(parseCalendarDate('2026-02-30')).toBeNull();
    expect(parseCalendarDate('1/9/2026')).toBeNull();
  });
});

describe('user inputs', () => {
  it('defaults roles to student and normalises nested contacts', () => {
    const parsed = parseInput(createUserInputSchema, {
      email: 'A@B.ru',
      password: 'long-enough',
      firstName: ' Анна ',
      lastName: 'Иванова',
      patronymic: '  ',
      parentContact: { name: 'Мама', phone: '8 916 000 00 01' },
    });
    expect(parsed).toMatchObject({
      email: 'a@b.ru',
      firstName: 'Анна',
      patronymic: null,
      roles: ['student'],
      isMinor: false,
    });
    expect(parsed.parentContact?.phone).toBe('+79160000001');
  });

  it('keeps "absent" apart from "null" in updates and checks the date order', () => {
    expect(parseInput(updateUserInputSchema, { phone: null })).toEqual({ phone: null });
    expect(() => parseInput(updateUserInputSchema, { checkInDate: '2026-09-01', checkOutDate: '2026-08-01' })).toThrow(
      expect.objectContaining({ details: { fields: { checkOutDate: 'must not be before checkInDate' } } }),
    );
  });

  it('drops empty filter fields', () => {
    expect(parseInput(userFilterSchema, null)).toEqual({});
    expect(parseInput(userFilterSchema, { building: '8', entrance: null, search: '  ', minorsOnly: true })).toEqual({
      building: '8',
      minorsOnly: true,
    });
  });
});

describe('CSV output (RFC 4180)', () => {
  it('quotes only when needed and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(false)).toBe('false');
  });

  it('with a semicolon between fields, quotes a field holding one (and no longer one holding a comma)', () => {
    expect(csvField('a;b', ';')).toBe('"a;b"');
    expect(csvField('a,b', ';')).toBe('a,b');
    expect(
      toCsv(
        [
          { header: 'n', value: (r: string) => r },
          { header: 'm', value: () => 1 },
        ],
        ['x;y'],
        ';',
      ),
    ).toBe('\uFEFFn;m\r\n"x;y";1\r\n');
  });

  it('neutralises spreadsheet formulas but keeps signed numbers', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-x')).toBe("'-x");
    expect(csvField('+79001234567')).toBe('+79001234567');
  });

  it('starts with a UTF-8 byte order mark (Excel reads Cyrillic right) and ends every line with CRLF', () => {
    expect(toCsv([{ header: 'n', value: (r: number) => r }], [1, 2])).toBe('\uFEFFn\r\n1\r\n2\r\n');
  });
});

describe('addRooms input', () => {
  const parse = (input: unknown) => parseInput(addRoomsInputSchema, input);
  const fieldsOf = (input: unknown): Record<string, string> => {
    try {
      parse(input);
    } catch (error) {
      return (error as { details: { fields: Record<string, string> } }).details.fields;
    }
    throw new Error('parsed');
  };

  it('trims and defaults the capacity', () => {
    expect(parse({ building: ' 10 ', entrance: 1, rooms: [{ number: ' 1101 ', floor: 1 }] })).toEqual({
      building: '10',
      entrance: 1,
      rooms: [{ number: '1101', floor: 1, capacity: 2 }],
    });
  });

  it('names every bad field', () => {
    expect(
      fieldsOf({
        building: '8 A',
        entrance: 100,
        rooms: [
          { number: '101', floor: 0 },
          { number: '', floor: 51, capacity: 0 },
          { number: '101', floor: 1 },
          { number: 'a room number', floor: 1 },
        ],
      }),
    ).toEqual({
      building: 'must be letters, digits and hyphens only, e.g. 8',
      entrance: expect.any(String),
      'rooms.0.floor': 'must be at least 1',
      'rooms.1.number': 'must not be empty',
      'rooms.1.floor': 'must be at most 50',
      'rooms.1.capacity': 'must be at least 1',
      'rooms.2.number': 'repeats rooms.0.number (101): each number once per call',
      'rooms.3.number': 'must have at most 10 characters',
    });
    expect(fieldsOf({ building: '8', entrance: 1, rooms: [] })).toEqual({ rooms: 'must name at least one room' });
    const many = Array.from({ length: 201 }, (_, i) => ({ number: String(1000 + i), floor: 1 }));
    expect(fieldsOf({ building: '8', entrance: 1, rooms: many })).toEqual({
      rooms: 'must name at most 200 rooms per call',
    });
    expect(
      fieldsOf({
        building: '8',
        entrance: 1,
        rooms: [
          { number: '101', floor: 1 },
          { number: '102', floor: 1 },
          { number: '101', floor: 2 },
        ],
      }),
    ).toEqual({ 'rooms.2.number': 'repeats rooms.0.number (101): each number once per call' });
  });
});
