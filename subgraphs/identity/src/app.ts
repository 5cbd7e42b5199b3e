// Composition root: database, repositories, services, GraphQL + HTTP + gRPC transports.
import {
  checkDatabase,
  Closers,
  openDatabase,
  createLogger,
  HealthRegistry,
  Metrics,
  startSubgraph,
  TokenVerifier,
  type Logger,
} from '@campus/platform';
import { contextFactory } from './api/graphql/context';
import { resolvers } from './api/graphql/resolvers';
import { typeDefs } from './api/graphql/schema';
import { identityGrpcService } from './api/grpc/identity.grpc';
import { jwksRoutes } from './api/http/jwks';
import type { IdentityConfig } from './config';
import { PrismaCampusRepository } from './repository/campus.repository';
import { PrismaClient } from './repository/prisma';
import { PrismaRefreshTokenRepository } from './repository/refresh-token.repository';
import { PrismaSigningKeyRepository } from './repository/signing-key.repository';
import { PrismaUserRepository } from './repository/user.repository';
import type { IdentityServices } from './services';
import { JwtAccessTokenIssuer } from './services/access-tokens';
import { AuthService } from './services/auth.service';
import { CampusService } from './services/campus.service';
import { systemClock, type Clock } from './services/clock';
import { DirectoryService } from './services/directory.service';
import { StudentImportService } from './services/import.service';
import { argon2Hasher } from './services/passwords';
import { SigningKeyService } from './services/signing-keys';
import { UserService } from './services/users.service';

export interface RunningIdentity {
  httpPort: number;
  grpcPort: number;
  logger: Logger;
  close(): Promise<void>;
}

export interface IdentityOverrides {
  clock?: Clock;
  logger?: Logger;
}

/** Expired refresh tokens are purged this often (idempotent, so every replica may do it). */
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

function createServices(prisma: PrismaClient, config: IdentityConfig, clock: Clock, logger: Logger) {
  const users = new PrismaUserRepository(prisma);
  const campusStore = new PrismaCampusRepository(prisma);
  const keys = new SigningKeyService(new PrismaSigningKeyRepository(prisma), clock, {
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    retentionMarginSeconds: config.SIGNING_KEY_RETENTION_MARGIN_SECONDS,
    cacheTtlMs: 30_000,
    unknownKidCooldownMs: 5_000,
  });
  const verifier = new TokenVerifier({
    keys: keys.verificationKeys(),
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
  });
  const accessTokens = new JwtAccessTokenIssuer(
    keys,
    { issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS },
    clock,
  );
  const auth = new AuthService({
    users,
    refreshTokens: new PrismaRefreshTokenRepository(prisma),
    hasher: argon2Hasher,
    accessTokens,
    clock,
    settings: {
      refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
      throttle: {
        maxFailures: config.LOGIN_MAX_FAILED_ATTEMPTS,
        windowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
        lockoutSeconds: config.LOGIN_LOCKOUT_SECONDS,
      },
    },
    log: logger,
  });
  const services: IdentityServices = {
    auth,
    users: new UserService({ users, campus: campusStore, hasher: argon2Hasher, sessions: auth }),
    imports: new StudentImportService({ users, campus: campusStore, hasher: argon2Hasher }),
    campus: new CampusService(campusStore),
    keys,
    directory: new DirectoryService({ users, verifier }),
  };
  return { services, verifier };
}

/** Starts identity: GraphQL (+ JWKS, health, metrics) on HTTP_PORT and gRPC on GRPC_PORT. */
export async function startIdentity(
  config: IdentityConfig,
  overrides: IdentityOverrides = {},
): Promise<RunningIdentity> {
  const logger = overrides.logger ?? createLogger('identity', config.LOG_LEVEL);
  const closers = new Closers();
  try {
    const metrics = new Metrics('identity');
    const { pool, prisma } = openDatabase(PrismaClient, {
      url: config.DATABASE_URL,
      poolSize: config.DB_POOL_SIZE,
      connectionTimeoutMs: config.DB_POOL_TIMEOUT_MS,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
      metrics,
      closers,
    });
    const health = new HealthRegistry(2_000, (name, error) =>
      logger.warn({ check: name, err: error }, 'readiness check failed'),
    );
    health.add('database', () => checkDatabase(pool));

    const { services, verifier } = createServices(prisma, config, overrides.clock ?? systemClock, logger);
    const kid = await services.keys.ensureActiveKey();
    logger.info({ kid }, 'signing key ready');

    const subgraph = await startSubgraph({
      name: 'identity',
      typeDefs,
      resolvers,
      host: config.BIND_HOST,
      httpPort: config.HTTP_PORT,
      logger,
      metrics,
      health,
      tokenVerifier: verifier,
      createContext: contextFactory(services),
      routes: jwksRoutes(services.keys),
      grpc: { port: config.GRPC_PORT, services: [identityGrpcService(services.directory)] },
    });
    closers.add(() => subgraph.close());
    closers.add(schedulePurge(services, config, logger));

    return {
      httpPort: subgraph.httpPort,
      grpcPort: subgraph.grpcPort ?? config.GRPC_PORT,
      logger,
      close: () => closers.closeAll(logger),
    };
  } catch (error) {
    await closers.closeAll(logger);
    throw error;
  }
}

function schedulePurge(services: IdentityServices, config: IdentityConfig, logger: Logger): () => void {
  const timer = setInterval(() => {
    services.auth
      .purgeExpiredTokens(config.REFRESH_TOKEN_PURGE_GRACE_SECONDS)
      .then((deleted) => deleted > 0 && logger.info({ deleted }, 'purged expired refresh tokens'))
      .catch((error: unknown) => logger.warn({ err: error }, 'purging expired refresh tokens failed'));
  }, PURGE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
