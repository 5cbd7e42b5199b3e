import { DomainError } from './errors';

/**
 * Unavailable: down, overloaded or past its deadline; or refusing this service itself (its service
 * credential rejected: UNAUTHENTICATED / FORBIDDEN from a dependency is never the end user's doing,
 * and passed on as it is it would tell them to sign in again).
 */
const UNAVAILABLE_KINDS: ReadonlySet<string> = new Set(['UNAVAILABLE', 'UNAUTHENTICATED', 'FORBIDDEN']);
const isUnavailable = (error: unknown): error is DomainError =>
  error instanceof DomainError && UNAVAILABLE_KINDS.has(error.kind);

/**
 * Awaits calls to other services, started together by the caller, each named by its dependency.
 * If any of them is unavailable (see above) the result is the one error
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
