import { currentTraceparent, requireAuth, type AuthContext } from '@campus/platform';
import type { Actor } from '../domain/policy';

/** The actor of a command: the signed-in caller (UNAUTHENTICATED without one). */
export function actorOf(auth: AuthContext | null | undefined): Actor {
  const caller = requireAuth(auth);
  return { userId: caller.userId, roles: caller.roles };
}

/** The trace id of the current request (from the active W3C trace context), for event metadata. */
export function currentTraceId(): string | null {
  const traceparent = currentTraceparent();
  return traceparent?.split('-')[1] ?? null;
}
