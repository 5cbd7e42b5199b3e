import { LOGIN_MUTATION, LOGOUT_MUTATION, defaultTabs, type DemoCredentials } from './operations';

export const ASSET_PREFIX = '/playground/assets';

export interface PlaygroundPageOptions {
  /** The GraphQL endpoint the page talks to. */
  endpoint: string;
  /** Prefilled sign-in (demo account); omitted in production. */
  credentials?: DemoCredentials;
}

/** Everything the page loads comes from this origin; only styles may be inline (GraphiQL sets some). */
export const PLAYGROUND_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** JSON that is safe inside a <script> element (no "</script>", no HTML comment openers). */
const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

export function renderPlaygroundPage(options: PlaygroundPageOptions): string {
  const config = {
    endpoint: options.endpoint,
    loginMutation: LOGIN_MUTATION,
    logoutMutation: LOGOUT_MUTATION,
    tabs: defaultTabs(options.credentials),
  };
  const email = escapeHtml(options.credentials?.email ?? '');
  const password = escapeHtml(options.credentials?.password ?? '');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Campus Sirius · GraphQL playground</title>
<link rel="stylesheet" href="${ASSET_PREFIX}/graphiql.min.css">
<link rel="stylesheet" href="${ASSET_PREFIX}/playground.css">
</head>
<body>
<header class="cs-toolbar">
  <span class="cs-title">Campus Sirius</span>
  <form id="cs-login" class="cs-login">
    <input name="email" type="email" placeholder="email" autocomplete="username" required value="${email}">
    <input name="password" type="password" placeholder="password" autocomplete="current-password" required value="${password}">
    <button type="submit">Log in</button>
  </form>
  <button id="cs-logout" type="button" hidden>Log out</button>
  <span id="cs-status" class="cs-status" role="status">Loading…</span>
</header>
<main id="graphiql" class="cs-graphiql"><noscript>The playground needs JavaScript. POST GraphQL requests to ${escapeHtml(options.endpoint)}.</noscript></main>
<script id="cs-config" type="application/json">${scriptJson(config)}</script>
<script src="${ASSET_PREFIX}/react.production.min.js"></script>
<script src="${ASSET_PREFIX}/react-dom.production.min.js"></script>
<script src="${ASSET_PREFIX}/graphiql.min.js"></script>
<script src="${ASSET_PREFIX}/playground.js"></script>
</body>
</html>
`;
}
