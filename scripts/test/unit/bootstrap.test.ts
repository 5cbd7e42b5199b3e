import fs from 'node:fs';
import path from 'node:path';
import { parseBootstrapArgs, planCampus } from '../../bootstrap';

describe('bootstrap arguments', () => {
  it('reads flags, falling back to BOOTSTRAP_ADMIN_* variables, and lower-cases the e-mail', () => {
    expect(parseBootstrapArgs(['--admin-email', 'Boss@Example.org', '--force'], {})).toEqual({
      adminEmail: 'boss@example.org',
      password: undefined,
      campusFile: undefined,
      force: true,
      ifAbsent: false,
    });
    expect(
      parseBootstrapArgs(['--if-absent'], {
        BOOTSTRAP_ADMIN_EMAIL: 'a@b.cd',
        BOOTSTRAP_ADMIN_PASSWORD: 'long enough pw',
      }),
    ).toMatchObject({ adminEmail: 'a@b.cd', password: 'long enough pw', ifAbsent: true });
    // An empty BOOTSTRAP_ADMIN_PASSWORD (compose default) means "generate one".
    expect(
      parseBootstrapArgs([], { BOOTSTRAP_ADMIN_EMAIL: 'a@b.cd', BOOTSTRAP_ADMIN_PASSWORD: '' }).password,
    ).toBeUndefined();
  });

  it('refuses a missing e-mail, a short password and unknown flags', () => {
    expect(() => parseBootstrapArgs([], {})).toThrow(/admin-email/);
    expect(() => parseBootstrapArgs(['--admin-email', 'a@b.cd', '--password', 'short'], {})).toThrow(/12 characters/);
    expect(() => parseBootstrapArgs(['--admin-email', 'a@b.cd', '--pasword', 'x'], {})).toThrow(
      /unknown option --pasword/,
    );
  });
});

describe('campus layout', () => {
  it('flattens the documented example into buildings, entrances and rooms', () => {
    const example = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../deploy/campus.example.json'), 'utf8'));
    const rows = planCampus(example);
    expect(rows.buildings).toEqual([{ code: '8', name: 'Корпус 8', floors: 2 }]);
    expect(rows.entrances).toEqual([
      { buildingCode: '8', number: 1 },
      { buildingCode: '8', number: 2 },
    ]);
    expect(rows.rooms).toHaveLength(5);
    expect(rows.rooms[0]).toMatchObject({ buildingCode: '8', entrance: 1, floor: 1, number: '1101', capacity: 3 });
  });

  it('names the path of what is wrong', () => {
    const room = (capacity: unknown) => ({
      buildings: [
        {
          code: '1',
          name: 'B',
          entrances: [{ number: 1, floors: [{ number: 1, rooms: [{ number: '101', capacity }] }] }],
        },
      ],
    });
    expect(() => planCampus(room(0))).toThrow(
      'buildings[0].entrances[0].floors[0].rooms[0].capacity must be a positive integer',
    );
    expect(() => planCampus({})).toThrow('buildings must be a non-empty array');
    const twice = room(2);
    twice.buildings[0]!.entrances[0]!.floors[0]!.rooms.push({ number: '101', capacity: 2 });
    expect(() => planCampus(twice)).toThrow(/"101" appears twice/);
  });
});
