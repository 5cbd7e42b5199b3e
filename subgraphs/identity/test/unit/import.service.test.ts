import { toCsv } from '../../src/domain/csv';
import { parseStudentCsv, STUDENT_CSV_COLUMNS } from '../../src/schemas/import-csv';
import { StudentImportService } from '../../src/services/import.service';
import { InMemoryCampus, InMemoryUsers, caller, fakeHasher } from '../support/fakes';

function setup() {
  const campus = InMemoryCampus.standard(['8', '9'], 2, 2, 2);
  const users = new InMemoryUsers(campus);
  const service = new StudentImportService({ users, campus, hasher: fakeHasher, readFile: parseStudentCsv });
  const admin = users.add({ email: 'admin@sirius.local', roles: ['admin'] });
  users.add({ email: 'taken@sirius.local' });
  return { users, service, admin };
}

const HEADER =
  'email,lastName,firstName,patronymic,phone,building,room,isMinor,checkInDate,checkOutDate,parentName,parentPhone,password';

describe('importStudents', () => {
  it('imports valid rows and reports each bad row without writing it', async () => {
    const { service, admin, users } = setup();
    const csv = [
      HEADER,
      'Ivan.Petrov@Sirius.Local,Петров,Иван,Сергеевич,8 (900) 123-45-67,8,1101,да,01.09.2026,2027-06-30,Петрова Анна,+7 916 000 00 01,',
      'bad-phone@sirius.local,Смирнов,Олег,,12345,,,,,,,,',
      'ivan.petrov@sirius.local,Дубль,Иван,,,,,,,,,,',
      'taken@sirius.local,Занят,Пётр,,,,,,,,,,',
      'noroom@sirius.local,Без,Комнаты,,,8,9999,,,,,,',
      'weak@sirius.local,Слабый,Пароль,,,,,,,,,,short',
      'half@sirius.local,Половина,Адреса,,,8,,,,,,,',
      ',Без,Почты,,,,,,,,,,',
      'anna@sirius.local,"Смирнова, мл.",Анна,,,9,2201,no,,,,,secret-password',
    ].join('\n');
    const report = await service.importStudents(caller(admin), csv);
    expect(report).toMatchObject({ total: 9, imported: 2, failed: 7 });
    expect(report.errors.map((e) => [e.row, e.code])).toEqual([
      [3, 'VALIDATION_ERROR'],
      [4, 'AUTH_DUPLICATE_EMAIL_IN_FILE'],
      [5, 'AUTH_EMAIL_TAKEN'],
      [6, 'AUTH_UNKNOWN_ROOM'],
      [7, 'AUTH_WEAK_PASSWORD'],
      [8, 'VALIDATION_ERROR'],
      [9, 'VALIDATION_ERROR'],
    ]);
    expect(report.errors[0]?.message).toContain('phone');
    expect(report.errors[1]?.message).toContain('row 2');
    expect(report.errors[5]?.message).toContain('building and room go together');
    const [ivan, anna] = report.users;
    expect(ivan).toMatchObject({
      email: 'ivan.petrov@sirius.local',
      phone: '+79001234567',
      isMinor: true,
      roles: ['student'],
      parentContact: { name: 'Петрова Анна', phone: '+79160000001' },
      residence: { building: '8', room: '1101', entrance: 1, floor: 1 },
    });
    expect(ivan?.checkInDate?.toISOString()).toBe('2026-09-01T00:00:00.000Z');
    expect(anna?.lastName).toBe('Смирнова, мл.');
    expect(users.get(anna?.id ?? '').passwordHash).toBe('hashed:secret-password');
    expect(users.get(ivan?.id ?? '').passwordHash).toMatch(/^hashed:[A-Za-z0-9_-]{24}$/);
    expect(await users.existingEmails(['bad-phone@sirius.local', 'noroom@sirius.local'])).toEqual([]);
  });

  it("refuses a minor's row without a parent contact, naming the row and the fields", async () => {
    const { service, admin, users } = setup();
    const csv = [
      HEADER,
      'minor.ok@sirius.local,Петров,Иван,,,,,да,,,Петрова Анна,+7 916 000 00 01,',
      'minor.none@sirius.local,Сидоров,Олег,,,,,yes,,,,,',
      'minor.half@sirius.local,Кузнецов,Пётр,,,,,1,,,Кузнецова Ольга,,',
      'adult.none@sirius.local,Орлов,Глеб,,,,,нет,,,,,',
    ].join('\n');
    const report = await service.importStudents(caller(admin), csv);
    expect(report).toMatchObject({ total: 4, imported: 2, failed: 2 });
    expect(report.errors).toEqual([
      {
        row: 3,
        email: 'minor.none@sirius.local',
        code: 'VALIDATION_ERROR',
        message: 'parentName: required for a minor (isMinor); parentPhone: required for a minor (isMinor)',
      },
      expect.objectContaining({ row: 4, code: 'VALIDATION_ERROR', message: expect.stringContaining('parentPhone') }),
    ]);
    expect(report.users.map((u) => [u.email, u.isMinor, u.parentContact])).toEqual([
      ['minor.ok@sirius.local', true, { name: 'Петрова Анна', phone: '+79160000001' }],
      ['adult.none@sirius.local', false, null],
    ]);
    expect(await users.existingEmails(['minor.none@sirius.local', 'minor.half@sirius.local'])).toEqual([]);
  });

  it('reads back what the export writes (toCsv: BOM, CRLF, quoted Cyrillic): a round trip', async () => {
    const { service, admin } = setup();
    const students: Array<Record<(typeof STUDENT_CSV_COLUMNS)[number], string | boolean | null>> = [
      {
        email: 'round.trip@sirius.local',
        lastName: 'Смирнова, мл.',
        firstName: 'Анна "Аня"',
        patronymic: 'Сергеевна',
        phone: '+79001234567',
        building: '9',
        room: '2201',
        isMinor: true,
        checkInDate: '2026-09-01',
        checkOutDate: '2027-06-30',
        parentName: 'Смирнов Сергей',
        parentPhone: '+79160000001',
        password: 'round-trip-password',
      },
    ];
    const csv = toCsv(
      STUDENT_CSV_COLUMNS.map((header) => ({ header, value: (r: (typeof students)[number]) => r[header] })),
      students,
    );
    expect(csv.charAt(0)).toBe('\uFEFF');
    const report = await service.importStudents(caller(admin), csv);
    expect(report).toMatchObject({ total: 1, imported: 1, failed: 0, errors: [] });
    expect(report.users[0]).toMatchObject({
      email: 'round.trip@sirius.local',
      lastName: 'Смирнова, мл.',
      firstName: 'Анна "Аня"',
      patronymic: 'Сергеевна',
      phone: '+79001234567',
      residence: { building: '9', room: '2201' },
      isMinor: true,
      parentContact: { name: 'Смирнов Сергей', phone: '+79160000001' },
    });
    expect(report.users[0]?.checkOutDate?.toISOString()).toBe('2027-06-30T00:00:00.000Z');
  });

  it('reports a row refused on write (room full) and carries on', async () => {
    const { service, admin } = setup();
    const rows = ['a', 'b', 'c'].map((n) => `${n}@sirius.local,Фамилия,Имя,,,8,1102,,,,,,`);
    const report = await service.importStudents(caller(admin), [HEADER, ...rows].join('\r\n'));
    expect(report).toMatchObject({ total: 3, imported: 2, failed: 1 });
    expect(report.errors[0]).toMatchObject({ row: 4, email: 'c@sirius.local', code: 'AUTH_ROOM_FULL' });
  });

  it('accepts semicolons, a BOM, header variants and only the required columns', async () => {
    const { service, admin } = setup();
    const csv = '\uFEFFEmail;Last_Name;first name\r\nx@sirius.local;Иванов;Иван\r\n';
    const report = await service.importStudents(caller(admin), csv);
    expect(report).toMatchObject({ total: 1, imported: 1, failed: 0 });
  });

  it('reports rows with the wrong number of fields', async () => {
    const { service, admin } = setup();
    const report = await service.importStudents(caller(admin), 'email,lastName,firstName\ny@sirius.local,Иванов\n');
    expect(report.errors[0]).toMatchObject({ row: 2, email: 'y@sirius.local', code: 'VALIDATION_ERROR' });
  });

  it.each([
    ['', 'empty'],
    ['email,surname,firstName\n', 'Unknown CSV columns: surname'],
    ['email,firstName\n', 'Missing CSV columns: lastName'],
    ['email,lastName,firstName,email\n', 'Repeated CSV columns: email'],
    ['email,lastName,firstName\n"unterminated,x,y\n', 'cannot be read'],
  ])('refuses a file that cannot be imported: %j', async (csv, message) => {
    const { service, admin } = setup();
    await expect(service.importStudents(caller(admin), csv)).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringContaining(message),
    });
  });

  it('is for admins only', async () => {
    const { service, users } = setup();
    const educator = users.add({ roles: ['educator'] });
    await expect(service.importStudents(caller(educator), HEADER)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
