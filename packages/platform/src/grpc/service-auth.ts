// Service authentication on gRPC: short-lived HS256 service tokens signed with the deployment's
// SERVICE_AUTH_SECRET. The client signs one per callee (cached, renewed before expiry) naming its own
// service (iss/sub) and the callee (aud); a call made on a user's behalf also carries that user
// (claim `usr`, signed with the rest). The server's interceptor checks signature, expiry, audience
// and, optionally, an allow-list of callers before any handler runs.
import crypto, { createSecretKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { AuthContext } from '../auth';
import { entranceRefSchema, residenceSchema } from '../campus/residence';
import { ROLES } from '../campus/roles';
import type { Clock } from '../clock';
import { ConfigError, MIN_SERVICE_AUTH_SECRET_LENGTH, secretList } from '../config';
import { unauthenticated, type DomainError } from '../errors';
import { VerifiedTokenCache } from '../token-cache';

/** Metadata key of the service token (a JWT, never logged). */
export const SERVICE_AUTH_METADATA = 'x-campus-service-auth';
/** Lifetime of a service token; the client renews it RENEW_BEFORE_SECONDS before it ends. */
export const SERVICE_TOKEN_TTL_SECONDS = 60;
const RENEW_BEFORE_SECONDS = 15;
/** Clocks of two hosts of one deployment may disagree this much. */
const CLOCK_TOLERANCE_SECONDS = 5;
const ALGORITHM = 'HS256';
const TOKEN_TYPE = 'campus-service+jwt';

/** The repository root, from src/ (tsx, jest) and from dist/ (built) alike. */
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
/** Outside production without SERVICE_AUTH_SECRET: the secret generated once for this data directory. */
export const DEFAULT_SERVICE_AUTH_SECRET_FILE = path.join(REPO_ROOT, '.data', 'service-auth-secret');

/** The user a call is made for, as the callee sees it (the AuthContext without the token). */
export interface CallerUser {
  userId: string;
  roles: AuthContext['roles'];
  residence: AuthContext['residence'];
  isMinor: boolean;
  entrances: AuthContext['entrances'];
}

/** Who is calling a gRPC handler: the verified calling service and, if it acts for one, the user. */
export interface ServiceCaller {
  service: string;
  user?: CallerUser;
}

const userClaimSchema = z.object({
  userId: z.string().min(1),
  roles: z.array(z.enum(ROLES)),
  residence: residenceSchema.nullable(),
  isMinor: z.boolean(),
  entrances: z.array(entranceRefSchema),
});

const keys = new Map<string, KeyObject>();
const keyOf = (secret: string): KeyObject => {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
};

/** Only what the callee needs of the user: never the user's bearer token. */
export function callerUserOf(user: CallerUser | AuthContext): CallerUser {
  return {
    userId: user.userId,
    roles: [...user.roles],
    residence: user.residence,
    isMinor: user.isMinor,
    entrances: [...user.entrances],
  };
}

export interface ServiceTokenClaims {
  secret: string;
  /** The calling service (iss and sub). */
  service: string;
  /** The called service. */
  audience: string;
  user?: CallerUser | AuthContext;
  ttlSeconds?: number;
  clock?: Clock;
}

/** Signs a service token (the client does this; exported for tests and tools). */
export async function signServiceToken(claims: ServiceTokenClaims): Promise<string> {
  const now = Math.floor((claims.clock?.now() ?? new Date()).getTime() / 1000);
  return new SignJWT(claims.user ? { usr: callerUserOf(claims.user) } : {})
    .setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPE })
    .setIssuer(claims.service)
    .setSubject(claims.service)
    .setAudience(claims.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.ttlSeconds ?? SERVICE_TOKEN_TTL_SECONDS))
    .sign(keyOf(claims.secret));
}

/** Why a call was refused: `details.reason` of its UNAUTHENTICATED error. */
export type ServiceAuthFailure = 'missing' | 'invalid' | 'expired' | 'audience' | 'caller';

export const serviceAuthError = (reason: ServiceAuthFailure, audience: string, caller?: string): DomainError =>
  unauthenticated(
    {
      missing: 'This gRPC service needs a service credential',
      invalid: 'The service credential is not valid',
      expired: 'The service credential has expired',
      audience: `The service credential is not meant for ${audience}`,
      caller: `${caller ?? 'This service'} may not call ${audience}`,
    }[reason],
    { reason, service: audience, ...(reason === 'caller' && caller ? { caller } : {}) },
  );

export interface VerifyServiceTokenOptions {
  secret: string;
  /** More secrets whose tokens verify (SERVICE_AUTH_SECRETS_ACCEPTED: a rotation rolling out). */
  acceptedSecrets?: readonly string[] | undefined;
  /** The service being called: the token's `aud` must name it. */
  audience: string;
  /** Services allowed to call; unset: any service holding the secret. */
  allowedCallers?: readonly string[] | undefined;
  clock?: Clock | undefined;
}

/** Verifies a service token; a refusal is UNAUTHENTICATED with `details.reason`. */
export async function verifyServiceToken(
  token: string | undefined,
  options: VerifyServiceTokenOptions,
): Promise<ServiceCaller> {
  return (await verifiedServiceToken(token, options)).caller;
}

/** verifyServiceToken's verdict with the token's exp (epoch ms), for ServiceTokenVerifier's cache. */
async function verifiedServiceToken(
  token: string | undefined,
  options: VerifyServiceTokenOptions,
): Promise<{ caller: ServiceCaller; expiresAtMs: number }> {
  if (!token) throw serviceAuthError('missing', options.audience);
  let payload: Record<string, unknown>;
  try {
    payload = await verifiedPayload(token, options);
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw serviceAuthError('expired', options.audience);
    if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'aud') {
      throw serviceAuthError('audience', options.audience);
    }
    throw serviceAuthError('invalid', options.audience);
  }
  const service = payload.sub;
  if (typeof service !== 'string' || service === '' || payload.iss !== service) {
    throw serviceAuthError('invalid', options.audience);
  }
  if (options.allowedCallers && !options.allowedCallers.includes(service)) {
    throw serviceAuthError('caller', options.audience, service);
  }
  const expiresAtMs = Number(payload.exp) * 1000; // required above, and a number (jose checks exp)
  if (payload.usr === undefined) return { caller: { service }, expiresAtMs };
  const user = userClaimSchema.safeParse(payload.usr);
  if (!user.success) throw serviceAuthError('invalid', options.audience);
  return { caller: { service, user: user.data }, expiresAtMs };
}

/** The token's claims, signed with the secret or, failing its signature, one of the accepted ones. */
async function verifiedPayload(token: string, options: VerifyServiceTokenOptions): Promise<Record<string, unknown>> {
  const verification = {
    algorithms: [ALGORITHM],
    typ: TOKEN_TYPE,
    audience: options.audience,
    requiredClaims: ['iss', 'sub', 'exp', 'iat'],
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    ...(options.clock ? { currentDate: options.clock.now() } : {}),
  };
  const secrets = [options.secret, ...(options.acceptedSecrets ?? [])];
  for (let i = 0; ; i++) {
    try {
      return (await jwtVerify(token, keyOf(secrets[i]!), verification)).payload;
    } catch (error) {
      const anotherSecret = error instanceof joseErrors.JWSSignatureVerificationFailed && i + 1 < secrets.length;
      if (!anotherSecret) throw error;
    }
  }
}

/**
 * A gRPC server's verifier: remembers each token it verified, per audience, until the token's exp.
 * A client reuses one token per callee (and user) for 45 of its 60 s, so nearly every call skips
 * the HMAC, the JSON and claim parsing and the user claim's schema; verifying every call was 4.7 %
 * of identity's CPU under patrol starts (docs/performance.md). Refusals are never remembered.
 */
export class ServiceTokenVerifier {
  private readonly verified: VerifiedTokenCache<ServiceCaller>;

  constructor(
    private readonly options: Omit<VerifyServiceTokenOptions, 'audience'>,
    maxEntries = 1_000,
  ) {
    const clock = options.clock;
    this.verified = new VerifiedTokenCache<ServiceCaller>({
      maxEntries,
      maxAgeMs: SERVICE_TOKEN_TTL_SECONDS * 1000,
      ...(clock ? { now: () => clock.now().getTime() } : {}),
    });
  }

  async verify(token: string | undefined, audience: string): Promise<ServiceCaller> {
    // The audience is part of the key: a token verified for one service proves nothing for another.
    const key = token ? `${audience}\n${token}` : undefined;
    const cached = key ? this.verified.get(key) : undefined;
    if (cached) return cached;
    const { caller, expiresAtMs } = await verifiedServiceToken(token, { ...this.options, audience });
    if (key) this.verified.set(key, caller, expiresAtMs);
    return caller;
  }
}

/**
 * The service a gRPC method belongs to, as tokens name it: `campus.<service>.v1.…` gives
 * `<service>`; any other package gives its fully qualified service name.
 */
export function serviceOfMethod(methodPath: string): string {
  const qualified = methodPath.replace(/^\//, '').split('/')[0] ?? '';
  return /^campus\.([a-z][a-z0-9_-]*)\.v\d+\./.exec(qualified)?.[1] ?? qualified;
}

/** Client side: caches a token per callee (and user) until shortly before it expires. */
export class ServiceTokenCache {
  // By secret first, so no key holds (or hashes, on every call) the secret itself.
  private readonly tokens = new Map<string, Map<string, { token: string; renewAt: number }>>();
  private static readonly MAX_ENTRIES = 1_000;

  async token(claims: ServiceTokenClaims): Promise<string> {
    const now = (claims.clock?.now() ?? new Date()).getTime();
    const user = claims.user ? callerUserOf(claims.user) : undefined;
    let tokens = this.tokens.get(claims.secret);
    if (!tokens) this.tokens.set(claims.secret, (tokens = new Map()));
    const key = JSON.stringify([claims.service, claims.audience, user ?? null]);
    const cached = tokens.get(key);
    if (cached && cached.renewAt > now) return cached.token;
    const ttlSeconds = claims.ttlSeconds ?? SERVICE_TOKEN_TTL_SECONDS;
    const token = await signServiceToken({ ...claims, ttlSeconds });
    // Bounded: tokens on behalf of users vary per user; the oldest go first.
    if (tokens.size >= ServiceTokenCache.MAX_ENTRIES) tokens.delete(tokens.keys().next().value!);
    tokens.delete(key);
    tokens.set(key, { token, renewAt: now + Math.max(ttlSeconds - RENEW_BEFORE_SECONDS, 1) * 1000 });
    return token;
  }
}

/**
 * The random secret of a development or test run without SERVICE_AUTH_SECRET, generated once per
 * data directory and kept there (owner-only), so every process of this checkout (`npm start`, a
 * service started alone, tests) shares it and nobody can forge tokens from the source. Created
 * atomically: processes starting together all read the one that won.
 */
export function localServiceAuthSecret(file: string = DEFAULT_SERVICE_AUTH_SECRET_FILE): string {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const draft = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(draft, crypto.randomBytes(48).toString('base64url'), { mode: 0o600 });
    try {
      fs.linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.rmSync(draft, { force: true });
    }
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < MIN_SERVICE_AUTH_SECRET_LENGTH) {
    throw new Error(
      `${file} must hold at least ${MIN_SERVICE_AUTH_SECRET_LENGTH} characters (delete it to regenerate)`,
    );
  }
  return secret;
}

/**
 * This process's service secret: SERVICE_AUTH_SECRET, or outside production the one kept in
 * SERVICE_AUTH_SECRET_FILE (default .data/service-auth-secret). Every service's config requires
 * SERVICE_AUTH_SECRET in production (platform grpcEnv), so a service never reaches the error here.
 */
export function processServiceAuthSecret(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.SERVICE_AUTH_SECRET;
  if (given) {
    if (given.length < MIN_SERVICE_AUTH_SECRET_LENGTH) {
      throw new ConfigError([`SERVICE_AUTH_SECRET: at least ${MIN_SERVICE_AUTH_SECRET_LENGTH} characters`]);
    }
    return given;
  }
  if (env.NODE_ENV === 'production') throw new ConfigError(['SERVICE_AUTH_SECRET is required in production']);
  return localServiceAuthSecret(env.SERVICE_AUTH_SECRET_FILE || DEFAULT_SERVICE_AUTH_SECRET_FILE);
}

/** SERVICE_AUTH_SECRETS_ACCEPTED: more secrets whose tokens this process's gRPC server accepts. */
export function processAcceptedServiceAuthSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  const secrets = secretList(env.SERVICE_AUTH_SECRETS_ACCEPTED ?? '');
  if (secrets.some((secret) => secret.length < MIN_SERVICE_AUTH_SECRET_LENGTH)) {
    throw new ConfigError([
      `SERVICE_AUTH_SECRETS_ACCEPTED: each secret at least ${MIN_SERVICE_AUTH_SECRET_LENGTH} characters`,
    ]);
  }
  return secrets;
}

let processService: string | undefined;

/**
 * The service this process calls others as: the one its gRPC server serves (each campus process
 * serves its own proto package), registered when that server starts. Clients read it per call.
 */
export function registerProcessService(service: string): void {
  processService = service;
}

export const processServiceName = (): string => processService ?? 'unnamed';
