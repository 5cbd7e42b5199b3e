import { fromDependencies } from '../../src/dependencies';
import { DomainError, notFound, unavailable } from '../../src/errors';

type Dependency = 'identity' | 'leave';

const dependencyUnavailable = (dependency: Dependency, cause: DomainError, others: Dependency[]) =>
  new DomainError('UNAVAILABLE', 'TEST_DEPENDENCY_UNAVAILABLE', `The ${dependency} service is unavailable`, {
    dependency,
    alsoUnavailable: others,
    cause: cause.message,
  });

const failing = <T>(error: unknown): Promise<T> => Promise.reject(error);

describe('fromDependencies', () => {
  it('returns the values in call order, with their types', async () => {
    const [user, leaves] = await fromDependencies(
      dependencyUnavailable,
      ['identity', Promise.resolve({ id: 'u1' })],
      ['leave', new Promise<number[]>((resolve) => setTimeout(() => resolve([1, 2]), 5))],
    );
    const id: string = user.id; // typed per call
    const count: number = leaves.length;
    expect([id, count]).toEqual(['u1', 2]);
  });

  it('answers one error naming the first unavailable dependency and listing the others', async () => {
    const error = await fromDependencies(
      dependencyUnavailable,
      ['identity', failing<string>(unavailable('identity down'))],
      ['leave', failing<string>(unavailable('leave down'))],
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'TEST_DEPENDENCY_UNAVAILABLE',
      details: { dependency: 'identity', alsoUnavailable: ['leave'], cause: 'identity down' },
    });
  });

  it('waits for every call before answering, so none is left running', async () => {
    let slowDone = false;
    const slow = new Promise<string>((resolve) =>
      setTimeout(() => {
        slowDone = true;
        resolve('late');
      }, 20),
    );
    await expect(
      fromDependencies(dependencyUnavailable, ['identity', failing<string>(unavailable('down'))], ['leave', slow]),
    ).rejects.toMatchObject({ details: { dependency: 'identity', alsoUnavailable: [] } });
    expect(slowDone).toBe(true);
  });

  it('lets other failures through as they are', async () => {
    const missing = notFound('No such user', {}, 'AUTH_USER_NOT_FOUND');
    await expect(
      fromDependencies(dependencyUnavailable, ['identity', failing<string>(missing)], ['leave', Promise.resolve(1)]),
    ).rejects.toBe(missing);
  });

  it('counts a dependency refusing this service (UNAUTHENTICATED, FORBIDDEN) as unavailable, never as the caller’s sign-in', async () => {
    for (const kind of ['UNAUTHENTICATED', 'FORBIDDEN'] as const) {
      const refused = new DomainError(kind, kind, 'The service credential is not valid');
      const error = await fromDependencies(
        dependencyUnavailable,
        ['identity', Promise.resolve(1)],
        ['leave', failing<string>(refused)],
      ).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'TEST_DEPENDENCY_UNAVAILABLE', details: { dependency: 'leave' } });
    }
  });
});
