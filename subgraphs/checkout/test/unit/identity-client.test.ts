// Who the students are (identity GetUsers) as checkOut/checkOutCohort ask it: identity refusing this
// service is our fault, never the caller's, so it must not reach them as UNAUTHENTICATED/FORBIDDEN.
import {
  conflict,
  createLogger,
  DomainError,
  forbidden,
  unauthenticated,
  unavailable,
  validationError,
} from '@campus/platform';
import { IdentityStudentDirectory } from '../../src/clients/identity.client';

type Client = ConstructorParameters<typeof IdentityStudentDirectory>[0];

const failingWith = (error: unknown): Client => ({
  GetUsers: async () => {
    throw error;
  },
});

async function refusal(directory: IdentityStudentDirectory): Promise<DomainError> {
  const error = await directory.cohort({ building: '8' }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('IdentityStudentDirectory', () => {
  it.each([
    ['UNAUTHENTICATED (its service token rejected)', unauthenticated('Service token expired'), 'UNAUTHENTICATED'],
    ['PERMISSION_DENIED (not on its allow-list)', forbidden('checkout may not call GetUsers'), 'FORBIDDEN'],
    ['UNAVAILABLE', unavailable('identity is down'), 'UNAVAILABLE'],
    ['a non-domain error', new Error('socket hang up'), undefined],
  ])('answers identity failing with %s as CHECKOUT_DEPENDENCY_UNAVAILABLE', async (_, cause, code) => {
    const logger = createLogger('checkout-test', 'silent');
    const warn = jest.spyOn(logger, 'warn');
    const error = await refusal(new IdentityStudentDirectory(failingWith(cause), logger));
    expect(error).toMatchObject({
      kind: 'UNAVAILABLE',
      code: 'CHECKOUT_DEPENDENCY_UNAVAILABLE',
      details: { dependency: 'identity', ...(code ? { cause: code } : {}) },
    });
    expect(error.message).not.toMatch(/token|sign in|socket/i);
    expect(warn).toHaveBeenCalledWith({ err: cause }, expect.any(String));
  });

  it('passes identity answers about the request itself on as they are', async () => {
    const tooMany = validationError('Narrow the filter', { max: 1000 }, 'AUTH_TOO_MANY_USERS');
    expect(await refusal(new IdentityStudentDirectory(failingWith(tooMany)))).toBe(tooMany);
    const other = conflict('no', {}, 'AUTH_SOMETHING');
    expect(
      await new IdentityStudentDirectory(failingWith(other)).activeUsers(['a']).then(
        () => null,
        (e: unknown) => e,
      ),
    ).toBe(other);
  });
});
