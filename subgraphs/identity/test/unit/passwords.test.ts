import { DomainError } from '@campus/platform';
import { argon2Hasher } from '../../src/adapters/argon2-hasher';
import { assertPasswordPolicy, generatePassword } from '../../src/domain/passwords';
import { fullNameOf } from '../../src/domain/users';

const policyCode = (password: string) => {
  try {
    assertPasswordPolicy(password);
    return 'OK';
  } catch (error) {
    return (error as DomainError).code;
  }
};

describe('passwords', () => {
  it('hashes with argon2id and verifies; an unparsable hash never verifies', async () => {
    const hash = await argon2Hasher.hash('sirius2026');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await argon2Hasher.verify(hash, 'sirius2026')).toBe(true);
    expect(await argon2Hasher.verify(hash, 'sirius2027')).toBe(false);
    expect(await argon2Hasher.verify('not-a-hash', 'sirius2026')).toBe(false);
  });

  it('needs 8 to 128 characters, not all blank', () => {
    expect(policyCode('12345678')).toBe('OK');
    expect(policyCode('1234567')).toBe('AUTH_WEAK_PASSWORD');
    expect(policyCode('x'.repeat(129))).toBe('AUTH_WEAK_PASSWORD');
    expect(policyCode('         ')).toBe('AUTH_WEAK_PASSWORD');
  });

  it('generates random passwords that pass the policy', () => {
    const a = generatePassword();
    expect(policyCode(a)).toBe('OK');
    expect(generatePassword()).not.toBe(a);
  });
});

it('writes full names in Russian order', () => {
  expect(fullNameOf({ lastName: 'Иванов', firstName: 'Иван', patronymic: 'Иванович' })).toBe('Иванов Иван Иванович');
  expect(fullNameOf({ lastName: 'Smith', firstName: 'John', patronymic: null })).toBe('Smith John');
  // empty parts are left out, as [last, first, patronymic].filter(Boolean).join(' ') did
  expect(fullNameOf({ lastName: '', firstName: 'Иван', patronymic: '' })).toBe('Иван');
  expect(fullNameOf({ lastName: 'Иванов', firstName: '', patronymic: 'Иванович' })).toBe('Иванов Иванович');
  expect(fullNameOf({ lastName: '', firstName: '', patronymic: null })).toBe('');
});
