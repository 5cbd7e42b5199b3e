// Composition root: database, repositories, adapters, services, GraphQL + HTTP + gRPC transports.
import {
  checkDatabase,
  composeService,
  createLogger,
  Metrics,
  openServiceDatabase,
  readinessChecks,
  startSubgraph,
  systemClock,
  TokenVerifier,
  type Clock,
  type Logger,
} from '@campus/platform';
import { argon2Hasher } from './adapters/argon2-hasher';
import { JwtAccessTokenIssuer } from './adapters/jwt-access-tokens';
import { signingKeyCipherFrom } from './adapters/signing-key-cipher';
import { generateSigningKey, localVerificationKeys } from './adapters/signing-key-crypto';
import { contextFactory, type IdentityContext } from './api/graphql/context';
import { resolvers } from './api/graphql/resolvers';
import { typeDefs } from './api/graphql/schema';
import { identityGrpcService } from './api/grpc/identity.grpc';
import { mountJwksRoutes } from './api/http/jwks.routes';
import type { IdentityConfig } from './config';
import { PrismaCampusRepository } from './repository/campus.repository';
import { PrismaCheckoutHolds } from './repository/checkout.repository';
import { PrismaClient, type DatabasePool } from './repository/database';
import { PrismaRefreshTokenRepository } from './repository/refresh-token.repository';
import { PrismaSigningKeyRepository } from './repository/signing-key.repository';
import { PrismaUserRepository } from './repository/user.repository';
import { parseStudentCsv } from './schemas/import-csv';
import type { IdentityServices } from './services';
import { AuthService } from './services/auth.service';
import { CampusService } from './services/campus.service';
import { CheckoutParticipant } from './services/checkout-participant.service';
import { DirectoryService } from './services/directory.service';
import { StudentImportService } from './services/import.service';
import { SigningKeyService } from './services/signing-key.service';
import { UserService } from './services/users.service';

export interface RunningIdentity {
  httpPort: number;
  grpcPort: number;
  logger: Logger;
  close(): Promise<void>;
}

/** Replaceable collaborators (tests pin the clock, share a logger…). */
export interface IdentityDeps {
  clock?: Clock;
  logger?: Logger;
}

/** Expired refresh tokens are purged this often (idempotent, so every replica may do it). */
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

function createServices(
  prisma: PrismaClient,
  pool: DatabasePool,
  config: IdentityConfig,
  clock: Clock,
  logger: Logger,
  keyStore: PrismaSigningKeyRepository,
) {
  const users = new PrismaUserRepository(prisma, pool);
  const campusStore = new PrismaCampusRepository(prisma, pool);
  const keys = new SigningKeyService({
    store: keyStore,
    clock,
    generate: generateSigningKey,
    settings: {
      accessTokenTtlSeconds: config.tokens.accessTtlSeconds,
      retentionMarginSeconds: config.tokens.signingKeyRetentionMarginSeconds,
      cacheTtlMs: 30_000,
      unknownKidCooldownMs: 5_000,
      activationDelaySeconds: config.tokens.signingKeyActivationDelaySeconds,
    },
    log: logger,
  });
  const { issuer, audience } = config.auth;
  // Identity verifies its own tokens with its keys in-process, not over its JWKS URL.
  const verifier = new TokenVerifier({ keys: localVerificationKeys(keys), issuer, audience });
  const accessTokens = new JwtAccessTokenIssuer(
    keys,
    { issuer, audience, ttlSeconds: config.tokens.accessTtlSeconds },
    clock,
  );
  const auth = new AuthService({
    users,
    refreshTokens: new PrismaRefreshTokenRepository(prisma),
    hasher: argon2Hasher,
    accessTokens,
    clock,
    settings: { refreshTokenTtlSeconds: config.tokens.refreshTtlSeconds, throttle: config.loginThrottle },
    log: logger,
  });
  const services: IdentityServices = {
    auth,
    users: new UserService({ users, campus: campusStore, hasher: argon2Hasher, sessions: auth }),
    imports: new StudentImportService({
      users,
      campus: campusStore,
      hasher: argon2Hasher,
      readFile: parseStudentCsv,
    }),
    campus: new CampusService(campusStore),
    keys,
    directory: new DirectoryService({ users, verifier }),
    checkout: new CheckoutParticipant({
      store: new PrismaCheckoutHolds(prisma),
      clock,
      campusTimeZone: config.campusTimeZone,
    }),
  };
  return { services, verifier };
}

/** Starts identity: GraphQL (+ JWKS, health, metrics) on httpPort and gRPC on grpcPort. */
export async function startIdentity(config: IdentityConfig, deps: IdentityDeps = {}): Promise<RunningIdentity> {
  const logger = deps.logger ?? createLogger('identity', config.logLevel);
  const metrics = new Metrics('identity');
  return composeService(logger, async (closers) => {
    const { pool, prisma } = openServiceDatabase(PrismaClient, config, { metrics, closers });
    const health = readinessChecks(logger).add('database', () => checkDatabase(pool));

    const keyStore = new PrismaSigningKeyRepository(prisma, signingKeyCipherFrom(config.signingKeyEncryption));
    if (config.nodeEnv !== 'production') {
      const discarded = await keyStore.discardUnreadableKeys();
      if (discarded.length) {
        logger.warn(
          { discarded },
          'signing keys sealed under an encryption key this process does not have were deleted (development only); a new key is made',
        );
      }
    }
    const sealed = await keyStore.sealStoredKeys();
    if (sealed > 0) logger.info({ sealed }, 'private signing keys (re-)encrypted under the current encryption key');
    const { services, verifier } = createServices(prisma, pool, config, deps.clock ?? systemClock, logger, keyStore);
    const kid = await services.keys.ensureActiveKey();
    logger.info({ kid }, 'signing key ready');

    const subgraph = await startSubgraph<IdentityContext>({
      name: 'identity',
      schema: { typeDefs, resolvers },
      settings: config,
      logger,
      metrics,
      health,
      tokenVerifier: verifier,
      createContext: contextFactory(services),
      routes: (app) => mountJwksRoutes(app, { keys: services.keys, metrics }),
      grpcServices: [identityGrpcService(services)],
    });
    closers.add(() => subgraph.close());
    closers.add(schedulePurge(services, config, logger));

    return { httpPort: subgraph.httpPort, grpcPort: subgraph.grpcPort ?? config.grpcPort };
  });
}

function schedulePurge(services: IdentityServices, config: IdentityConfig, logger: Logger): () => void {
  const timer = setInterval(() => {
    services.auth
      .purgeExpiredTokens(config.tokens.refreshPurgeGraceSeconds)
      .then((deleted) => deleted > 0 && logger.info({ deleted }, 'purged expired refresh tokens'))
      .catch((error: unknown) => logger.warn({ err: error }, 'purging expired refresh tokens failed'));
  }, PURGE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
