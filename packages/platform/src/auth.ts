import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { entranceRefSchema, residenceSchema, type EntranceRef, type Residence } from './campus/residence';
import { ROLES, STAFF_ROLES, type Role } from './campus/roles';
import type { Clock } from './clock';
import { forbidden, unauthenticated } from './errors';
import { VerifiedTokenCache } from './token-cache';

/** The signing algorithm of campus access tokens; anything else (incl. "none") is refused. */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';

/** Claims of a campus access token beyond the registered ones (sub, iss, aud, exp…). */
export const accessClaimsSchema = z.object({
  sub: z.string().min(1),
  typ: z.literal('access'),
  roles: z.array(z.enum(ROLES)),
  residence: residenceSchema.nullable(),
  isMinor: z.boolean(),
  entrances: z.array(entranceRefSchema).default([]),
});
export type AccessClaims = z.infer<typeof accessClaimsSchema>;

/** Who is calling, as every subgraph sees it after verifying the token. */
export interface AuthContext {
  userId: string;
  roles: Role[];
  residence: Residence | null;
  isMinor: boolean;
  /** Entrances an educator_head is assigned to. */
  entrances: EntranceRef[];
  /** The verified bearer token, to forward on calls made on the user's behalf. */
  token: string;
  /** When the token expires (long-lived responses such as streams end then). */
  expiresAt?: Date | null;
}

export interface TokenVerifierOptions {
  /** The JWKS URL (cached, refreshed on an unknown key id) or a local key resolver. */
  keys: URL | string | JWTVerifyGetKey;
  issuer: string;
  audience: string;
  /**
   * Reuse of successful verifications (see VerifiedTokenCache), on by default: at most
   * `maxEntries` tokens (10 000), each until its exp and at most `maxAgeMs` (5 min). false: off.
   */
  cache?: { maxEntries?: number; maxAgeMs?: number } | false;
  /** "Now" for exp checks and the cache; the system clock unless a test pins it. */
  clock?: Clock;
}

export const DEFAULT_TOKEN_CACHE = { maxEntries: 10_000, maxAgeMs: 5 * 60_000 } as const;

/**
 * Verifies campus access tokens (ES256, issuer, audience, claims). Access tokens are stateless and
 * short-lived, and retired signing keys stay published until their last token has expired, so a
 * token verified once stays valid until its exp: the verification is reused from a bounded cache
 * instead of checking the signature again on every request.
 */
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly cache: VerifiedTokenCache<AuthContext> | undefined;

  constructor(private readonly options: TokenVerifierOptions) {
    this.keys =
      typeof options.keys === 'function'
        ? options.keys
        : createRemoteJWKSet(new URL(String(options.keys)), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
    const clock = options.clock;
    this.cache =
      options.cache === false
        ? undefined
        : new VerifiedTokenCache<AuthContext>({
            maxEntries: options.cache?.maxEntries ?? DEFAULT_TOKEN_CACHE.maxEntries,
            maxAgeMs: options.cache?.maxAgeMs ?? DEFAULT_TOKEN_CACHE.maxAgeMs,
            ...(clock ? { now: () => clock.now().getTime() } : {}),
          });
  }

  async verify(token: string): Promise<AuthContext> {
    const cached = this.cache?.get(token);
    if (cached) return { ...cached }; // a copy: a caller changing its context cannot change the next one's
    const auth = await this.verifySignatureAndClaims(token);
    // Only successes are kept, and only with an exp to bound them; refusals are checked afresh each time.
    if (auth.expiresAt) this.cache?.set(token, { ...auth }, auth.expiresAt.getTime());
    return auth;
  }

  private async verifySignatureAndClaims(token: string): Promise<AuthContext> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        ...(this.options.clock ? { currentDate: this.options.clock.now() } : {}),
      }));
    } catch (error) {
      // A key set that cannot be fetched in time is our outage, not a bad token (JWKSTimeout is a JOSEError).
      if (error instanceof joseErrors.JWKSTimeout) throw error;
      if (error instanceof joseErrors.JWTExpired) {
        throw unauthenticated('The access token has expired', { reason: 'expired' });
      }
      if (error instanceof joseErrors.JOSEError || error instanceof TypeError) {
        throw unauthenticated('The access token is not valid', { reason: 'invalid' });
      }
      throw error; // e.g. the JWKS endpoint is unreachable: not the client's fault
    }
    const claims = accessClaimsSchema.safeParse(payload);
    if (!claims.success) throw unauthenticated('The access token is not valid', { reason: 'invalid' });
    const { sub, roles, residence, isMinor, entrances } = claims.data;
    const exp = (payload as { exp?: unknown }).exp;
    const expiresAt = typeof exp === 'number' ? new Date(exp * 1000) : null;
    return { userId: sub, roles, residence, isMinor, entrances, token, expiresAt };
  }
}

/** Extracts the token of an `Authorization: Bearer …` header; null when the header is absent. */
export function bearerToken(header: string | undefined | null): string | null {
  if (header === undefined || header === null || header === '') return null;
  const match = /^Bearer\s+([A-Za-z0-9\-_.~+/]+=*)$/i.exec(header.trim());
  if (!match?.[1]) throw unauthenticated('The Authorization header must be "Bearer <token>"', { reason: 'invalid' });
  return match[1];
}

export function requireAuth(auth: AuthContext | null | undefined): AuthContext {
  if (!auth) throw unauthenticated();
  return auth;
}

export const hasRole = (auth: AuthContext | null | undefined, ...roles: readonly Role[]): boolean =>
  !!auth && auth.roles.some((r) => roles.includes(r));

export const isStaff = (auth: AuthContext | null | undefined): boolean => hasRole(auth, ...STAFF_ROLES);

/** Requires a signed-in caller holding at least one of `roles`. */
export function requireRole(auth: AuthContext | null | undefined, ...roles: readonly Role[]): AuthContext {
  const caller = requireAuth(auth);
  if (!hasRole(caller, ...roles)) throw forbidden('Your role does not allow this', { requiredRoles: roles });
  return caller;
}

/** The verifier of campus access tokens for a service's `auth` settings (JWKS URL, issuer, audience). */
export function tokenVerifierFor(auth: { jwksUrl: string; issuer: string; audience: string }): TokenVerifier {
  return new TokenVerifier({ keys: auth.jwksUrl, issuer: auth.issuer, audience: auth.audience });
}
