// GET /.well-known/jwks.json: the public keys other services verify access tokens with.
import { route, type SubgraphOptions } from '@campus/platform';
import type { JwkSet } from '../../domain/signing-keys';
import type { IdentityContext } from '../graphql/context';

export const JWKS_PATH = '/.well-known/jwks.json';

/** Short, so a rotation reaches verifiers quickly (they also refetch on an unknown kid). */
const CACHE_CONTROL = 'public, max-age=60';

/** The Express app startSubgraph mounts plain routes on (typed through platform, not express itself). */
type RoutesApp = Parameters<NonNullable<SubgraphOptions<IdentityContext>['routes']>>[0];

export function mountJwksRoutes(app: RoutesApp, keys: { jwks(): Promise<JwkSet> }): void {
  app.get(
    JWKS_PATH,
    route(async (_req, res) => {
      res.setHeader('Cache-Control', CACHE_CONTROL);
      res.json(await keys.jwks());
    }),
  );
}
