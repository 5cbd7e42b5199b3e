import { DomainError } from './errors';

const isUnavailable = (error: unknown): error is DomainError =>
  error instanceof DomainError && error.kind === 'UNAVAILABLE';

/**
 * Awaits calls to other services, started together by the caller, each named by its dependency.
 * If any of them is unavailable (down, overloaded, past its deadline) the result is the one error
 * `onUnavailable` builds, naming the first such dependency and listing the others, so a use case
 * fails clearly before it writes anything. Other failures propagate as they are. The values come
 * back in the order, and with the types, of `calls`:
 *
 *   const [resident, leaves] = await fromDependencies(errors.dependencyUnavailable,
 *     ['identity', identity.GetUser({ id })], ['leave', leave.ApprovedLeavesAt({ at })]);
 */
export async function fromDependencies<N extends string, T extends readonly unknown[]>(
  onUnavailable: (dependency: N, cause: DomainError, others: N[]) => DomainError,
  ...calls: { readonly [K in keyof T]: readonly [N, Promise<T[K]>] }
): Promise<T> {
  const settled = await Promise.allSettled(calls.map(([, promise]) => promise));
  const values: unknown[] = [];
  const unavailable: [N, DomainError][] = [];
  for (const [i, result] of settled.entries()) {
    if (result.status === 'fulfilled') values.push(result.value);
    else if (isUnavailable(result.reason)) unavailable.push([calls[i]![0], result.reason]);
    else throw result.reason;
  }
  const [first, ...rest] = unavailable;
  if (first)
    throw onUnavailable(
      first[0],
      first[1],
      rest.map(([name]) => name),
    );
  return values as unknown as T; // in the order, and of the types, of `calls`
}
