import type { Express, RequestHandler } from 'express';
import { sendError } from '@campus/platform';
import { routerErrors } from '../errors';
import { assertVendorAssetsPresent, VENDOR_ASSETS } from './assets';
import { PLAYGROUND_SCRIPT, PLAYGROUND_STYLES } from './client';
import { ASSET_PREFIX, PLAYGROUND_CSP, renderPlaygroundPage, type PlaygroundPageOptions } from './page';

export { ASSET_PREFIX, PLAYGROUND_CSP, renderPlaygroundPage } from './page';
export { VENDOR_ASSETS } from './assets';

const OWN_ASSETS: Readonly<Record<string, { type: string; body: string }>> = {
  'playground.js': { type: 'text/javascript; charset=utf-8', body: PLAYGROUND_SCRIPT },
  'playground.css': { type: 'text/css; charset=utf-8', body: PLAYGROUND_STYLES },
};

/**
 * The offline GraphiQL playground: GET / (and GET /graphql from a browser) answers the page,
 * /playground/assets/* the files it loads. A GraphQL GET request (?query=…) still reaches Apollo.
 * The router's securityHeaders are already set; the page replaces their CSP with its own.
 */
export function mountPlayground(app: Express, options: PlaygroundPageOptions): void {
  assertVendorAssetsPresent();
  const html = renderPlaygroundPage(options);

  const page: RequestHandler = (req, res, next) => {
    const wantsHtml =
      req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
    const isGraphQLGet = typeof req.query.query === 'string' || typeof req.query.extensions === 'string';
    if (isGraphQLGet || (req.path !== '/' && !wantsHtml)) return next();
    res.setHeader('Content-Security-Policy', PLAYGROUND_CSP);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(html);
  };
  app.get(['/', '/graphql'], page);
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end(); // browsers ask for it; an empty answer keeps their consoles clean
  });

  app.get(`${ASSET_PREFIX}/:file`, (req, res, next) => {
    const file = String(req.params.file);
    const own = Object.hasOwn(OWN_ASSETS, file) ? OWN_ASSETS[file] : undefined;
    if (own) {
      res.setHeader('Cache-Control', 'no-cache');
      res.type(own.type).send(own.body);
      return;
    }
    const vendor = Object.hasOwn(VENDOR_ASSETS, file) ? VENDOR_ASSETS[file] : undefined;
    if (!vendor) {
      sendError(res, routerErrors.noSuchAsset());
      return;
    }
    // Vendor files change only with an npm upgrade; an hour of caching keeps reloads fast.
    res.sendFile(vendor, { maxAge: '1h' }, (error) => error && next(error));
  });
}
