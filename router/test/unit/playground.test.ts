import fs from 'node:fs';
import { PLAYGROUND_SCRIPT, PLAYGROUND_STYLES } from '../../src/playground/client';
import { PLAYGROUND_CSP, VENDOR_ASSETS, renderPlaygroundPage } from '../../src/playground';
import { DEMO_CREDENTIALS, LOGIN_MUTATION, LOGOUT_MUTATION, defaultTabs } from '../../src/playground/operations';

const REMOTE_URL = /https?:\/\//i;

describe('playground page', () => {
  const html = renderPlaygroundPage({ endpoint: '/graphql', credentials: DEMO_CREDENTIALS });

  it('references no remote URL anywhere (page, script, styles, policy)', () => {
    expect(html).not.toMatch(REMOTE_URL);
    expect(PLAYGROUND_SCRIPT).not.toMatch(REMOTE_URL);
    expect(PLAYGROUND_STYLES).not.toMatch(REMOTE_URL);
    expect(PLAYGROUND_CSP).not.toMatch(REMOTE_URL);
    expect(html).not.toMatch(/\/\/[a-z0-9.-]+\.(com|net|org|io)\b/i); // protocol-relative CDN links
  });

  it('has no inline script, only a JSON settings block', () => {
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    for (const [, attributes = '', body = ''] of scripts) {
      if (body.trim()) expect(attributes).toContain('type="application/json"');
      else expect(attributes).toMatch(/src="\/playground\/assets\/[\w.-]+\.js"/);
    }
    expect(PLAYGROUND_CSP).toContain("script-src 'self'");
    expect(PLAYGROUND_CSP).not.toContain("'unsafe-eval'");
  });

  it('embeds the endpoint, the login mutation and the example tabs', () => {
    const json = /<script id="cs-config" type="application\/json">(.*?)<\/script>/s.exec(html)?.[1] ?? '{}';
    const config = JSON.parse(json) as {
      endpoint: string;
      loginMutation: string;
      logoutMutation: string;
      tabs: Array<{ query: string }>;
    };
    expect(config.endpoint).toBe('/graphql');
    expect(config.loginMutation).toBe(LOGIN_MUTATION);
    expect(config.logoutMutation).toBe(LOGOUT_MUTATION);
    const queries = config.tabs.map((t) => t.query).join('\n');
    expect(queries).toContain('login(email: $email, password: $password)');
    expect(queries).toMatch(/me \{\s+fullName\s+roles/);
    expect(queries).toContain('users(filter: { building: "8", entrance: 1 })');
    expect(queries).toMatch(/campus \{\s+code\s+entrances \{\s+number\s+rooms \{\s+number\s+residents \{\s+fullName/);
    expect(html).toContain('value="educator@sirius.local"');
  });

  it('prefills no credentials when none are given (production)', () => {
    const production = renderPlaygroundPage({ endpoint: '/graphql' });
    expect(production).not.toContain('sirius2026');
    expect(JSON.stringify(defaultTabs(undefined))).not.toContain('sirius2026');
  });

  it('escapes what it embeds', () => {
    const page = renderPlaygroundPage({ endpoint: '/graphql"></script><script>alert(1)</script>' });
    expect(page).not.toContain('<script>alert(1)</script>');
  });

  it('serves vendor files that exist in node_modules', () => {
    for (const file of Object.values(VENDOR_ASSETS)) expect(fs.existsSync(file)).toBe(true);
    expect(Object.keys(VENDOR_ASSETS)).toEqual(
      expect.arrayContaining([
        'react.production.min.js',
        'react-dom.production.min.js',
        'graphiql.min.js',
        'graphiql.min.css',
      ]),
    );
  });
});
