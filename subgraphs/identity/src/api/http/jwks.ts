// GET /.well-known/jwks.json: the public keys other services verify access tokens with.
import { route, type SubgraphOptions } from '@campus/platform';
import type { SigningKeyService } from '../../services/signing-keys';
import type { IdentityContext } from '../graphql/context';

export const JWKS_PATH = '/.well-known/jwks.json';

/** Short, so a rotation reaches verifiers quickly (they also refetch on an unknown kid). */
const CACHE_CONTROL = 'public, max-age=60';

export function jwksRoutes(keys: SigningKeyService): NonNullable<SubgraphOptions<IdentityContext>['routes']> {
  return (app) => {
    app.get(
      JWKS_PATH,
      route(async (_req, res) => {
        res.setHeader('Cache-Control', CACHE_CONTROL);
        res.json(await keys.jwks());
      }),
    );
  };
}
