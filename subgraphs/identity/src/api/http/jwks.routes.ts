// GET /.well-known/jwks.json: the public keys other services verify access tokens with.
import { timedRoute, type Metrics, type SubgraphOptions } from '@campus/platform';
import type { JwkSet } from '../../domain/signing-keys';
import type { IdentityContext } from '../graphql/context';

export const JWKS_PATH = '/.well-known/jwks.json';

/** Short, so a rotation reaches verifiers quickly (they also refetch on an unknown kid). */
const CACHE_CONTROL = 'public, max-age=60';

/** The Express app startSubgraph mounts plain routes on (typed through platform, not express itself). */
type RoutesApp = Parameters<NonNullable<SubgraphOptions<IdentityContext>['routes']>>[0];

export interface JwksRouteDeps {
  keys: { jwks(): Promise<JwkSet> };
  metrics: Metrics;
}

export function mountJwksRoutes(app: RoutesApp, deps: JwksRouteDeps): void {
  app.get(
    JWKS_PATH,
    // Timed like every request (campus_requests_total): every service's verifier fetches here.
    timedRoute(deps.metrics, `GET ${JWKS_PATH}`, async (_req, res) => {
      res.setHeader('Cache-Control', CACHE_CONTROL);
      res.json(await deps.keys.jwks());
    }),
  );
}
