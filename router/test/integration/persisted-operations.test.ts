import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, serveJwks, testTokens, testUser, type JwksServer, type TestTokens } from '@campus/testkit';
import { parse, print } from 'graphql';
import { DEFAULT_PERSISTED_OPERATIONS_FILE, REPO_ROOT, subgraphUrlVariable } from '../../src/config';
import { subgraphsOf } from '../../src/supergraph';
import { postGraphQL, type RawGraphQLResponse } from '../support/http';
import { startTestRouter, type TestRouter } from '../support/router';
import { startTestSubgraph, type TestSubgraph } from '../support/subgraph';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Trusted documents of the test subgraph's schema, as packages/client's codegen writes them. */
const HELLO = 'query Hello { hello }';
const ME = 'query Me { me { fullName id } }';
const LOGIN =
  'mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }';
const NOT_TRUSTED = 'query Other { me { fullName } }';

let tokens: TestTokens;
let jwks: JwksServer;
let subgraph: TestSubgraph;
let manifestFile: string;
let development: TestRouter; // manifest loaded, anything else runs too, APQ on
let enforcing: TestRouter; // ONLY_PERSISTED_OPERATIONS=true

beforeAll(async () => {
  tokens = await testTokens();
  jwks = await serveJwks(tokens.jwks);
  subgraph = await startTestSubgraph('test');
  manifestFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'router-persisted-')), 'persisted-operations.json');
  const manifest = Object.fromEntries([HELLO, ME, LOGIN].map((doc) => [`sha256:${sha256(doc)}`, doc]));
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  const env = { AUTH_JWKS_URL: jwks.url, PERSISTED_OPERATIONS_FILE: manifestFile };
  development = await startTestRouter([subgraph], env);
  enforcing = await startTestRouter([subgraph], { ...env, ONLY_PERSISTED_OPERATIONS: 'true' });
});

afterAll(async () => {
  await Promise.all([development?.close(), enforcing?.close()]);
  await Promise.all([subgraph?.stop(), jwks?.stop()]);
  if (manifestFile) fs.rmSync(path.dirname(manifestFile), { recursive: true, force: true });
});

const bearer = async () => ({
  authorization: `Bearer ${await tokens.tokenFor(testUser({ id: 'user-1', roles: ['educator'] }))}`,
});

/** A POST with any JSON body (documentId, extensions), signed in. */
async function post(router: TestRouter, body: Record<string, unknown>): Promise<RawGraphQLResponse> {
  const res = await fetch(`${router.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await bearer()) },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as RawGraphQLResponse['body'] };
}

const apq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });
const codeOf = (res: RawGraphQLResponse) => res.body.errors?.[0]?.extensions?.code;

describe('development: automatic persisted queries and the manifest, anything else still runs', () => {
  it('answers an unknown APQ hash PERSISTED_QUERY_NOT_FOUND, then runs the hash once the query was sent with it', async () => {
    const query = `query Apq { hello }`;
    const before = subgraph.requests;
    const first = await post(development, { extensions: apq(sha256(query)) });
    expect(codeOf(first)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(subgraph.requests).toBe(before);

    const registered = await post(development, { query, extensions: apq(sha256(query)) });
    expect(registered.status).toBe(200);
    expect(registered.body.data).toEqual({ hello: 'world' });

    const byHash = await post(development, { extensions: apq(sha256(query)) });
    expect(byHash.status).toBe(200);
    expect(byHash.body).toEqual({ data: { hello: 'world' } });
  });

  it.each([
    [
      'a hash that is not the sha256 of the query',
      { query: '{ hello }', extensions: apq(sha256('{ tree { name } }')) },
    ],
    ['another APQ version', { query: '{ hello }', extensions: { persistedQuery: { version: 2, sha256Hash: 'x' } } }],
  ])('refuses %s with 400 VALIDATION_ERROR', async (_label, body) => {
    const before = subgraph.requests;
    const res = await post(development, body);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { field: 'extensions.persistedQuery' },
    });
    expect(subgraph.requests).toBe(before);
  });

  it.each([
    ['documentId with the sha256: prefix', `sha256:${sha256(ME)}`],
    ['documentId as a bare hash', sha256(ME)],
  ])('runs a trusted document by its %s', async (_label, documentId) => {
    const res = await post(development, { documentId });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { me: { fullName: 'Test Educator', id: 'user-1' } } });
  });

  it('runs a trusted document by its APQ hash without it ever being registered', async () => {
    const res = await post(development, { extensions: apq(sha256(HELLO)) });
    expect(res.body).toEqual({ data: { hello: 'world' } });
  });

  it('passes variables to a trusted document', async () => {
    const res = await postGraphQL(`${development.url}/graphql`, {
      documentId: `sha256:${sha256(LOGIN)}`,
      operationName: 'Login',
      variables: { email: 'educator@sirius.local', password: 'sirius2026' },
    } as unknown as { query: string });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ login: { accessToken: 'issued-by-identity' } });
  });

  it('runs a trusted document by GET (cacheable by a CDN)', async () => {
    const res = await fetch(`${development.url}/graphql?documentId=sha256:${sha256(HELLO)}`, {
      headers: { 'apollo-require-preflight': 'true', ...(await bearer()) },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { hello: 'world' } });
  });

  it('answers an unknown documentId 404 PERSISTED_QUERY_NOT_FOUND, calling no subgraph', async () => {
    const before = subgraph.requests;
    const res = await post(development, { documentId: `sha256:${sha256('query Nope { hello }')}` });
    expect(res.status).toBe(404);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'PERSISTED_QUERY_NOT_FOUND',
      details: { documentId: `sha256:${sha256('query Nope { hello }')}` },
    });
    expect(subgraph.requests).toBe(before);
  });

  it('refuses a documentId sent with a query (which would run?) with 400 VALIDATION_ERROR', async () => {
    const res = await post(development, { documentId: `sha256:${sha256(HELLO)}`, query: NOT_TRUSTED });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { field: 'documentId' },
    });
  });

  it('still runs any other document', async () => {
    const res = await post(development, { query: NOT_TRUSTED });
    expect(res.body).toEqual({ data: { me: { fullName: 'Test Educator' } } });
  });
});

describe('ONLY_PERSISTED_OPERATIONS=true: the manifest and nothing else', () => {
  it('refuses a document that is not trusted with 400 PERSISTED_QUERY_NOT_ALLOWED, calling no subgraph', async () => {
    const before = subgraph.requests;
    const res = await post(enforcing, { query: NOT_TRUSTED });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'PERSISTED_QUERY_NOT_ALLOWED',
      details: { documentId: null },
    });
    expect(res.body.data).toBeUndefined();
    expect(subgraph.requests).toBe(before);
  });

  it('refuses an unknown id (documentId or APQ hash) with 400 PERSISTED_QUERY_NOT_ALLOWED', async () => {
    const unknown = sha256('query Unknown { hello }');
    for (const body of [{ documentId: `sha256:${unknown}` }, { extensions: apq(unknown) }]) {
      const res = await post(enforcing, body);
      expect(res.status).toBe(400);
      expect(codeOf(res)).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    }
  });

  it('does not let APQ register a new document', async () => {
    const registering = await post(enforcing, { query: NOT_TRUSTED, extensions: apq(sha256(NOT_TRUSTED)) });
    expect(codeOf(registering)).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    const byHash = await post(enforcing, { extensions: apq(sha256(NOT_TRUSTED)) });
    expect(codeOf(byHash)).toBe('PERSISTED_QUERY_NOT_ALLOWED');
  });

  it.each([
    ['documentId', { documentId: `sha256:${sha256(ME)}` }],
    ['APQ hash', { extensions: apq(sha256(ME)) }],
    ['its exact text', { query: ME }],
  ])('runs a trusted document sent by %s', async (_label, body) => {
    const res = await post(enforcing, body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { me: { fullName: 'Test Educator', id: 'user-1' } } });
  });
});

describe('the student home screen: request bytes, full document vs trusted document id', () => {
  /** Counts the bytes clients send through it to the router (request line, headers and body). */
  async function countingProxy(targetPort: number) {
    let bytes = 0;
    const sockets = new Set<net.Socket>();
    const server = net.createServer((client) => {
      const upstream = net.connect(targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.on('data', (chunk: Buffer) => (bytes += chunk.length));
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return {
      url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      take: () => {
        const taken = bytes;
        bytes = 0;
        return taken;
      },
      stop: async () => {
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  it('runs by id against the real supergraph and manifest, in a fraction of the bytes', async () => {
    // The real supergraph and the committed manifest; no subgraph runs (a closed port): each form
    // of the operation is accepted and executed, and fails there as UNAVAILABLE, which is all this
    // needs. Not enforcing, so that the full text runs too.
    const closed = `http://127.0.0.1:${await freePort()}/graphql`;
    const supergraph = path.join(REPO_ROOT, 'supergraph.graphql');
    const overrides = Object.fromEntries(
      subgraphsOf(fs.readFileSync(supergraph, 'utf8')).map((s) => [subgraphUrlVariable(s.name), closed]),
    );
    const router = await startTestRouter([subgraph], {
      AUTH_JWKS_URL: jwks.url,
      SUPERGRAPH_PATH: supergraph,
      PERSISTED_OPERATIONS_FILE: DEFAULT_PERSISTED_OPERATIONS_FILE,
      ...overrides,
    });
    const proxy = await countingProxy(router.port);
    try {
      const { id, text } = studentHome();
      const common = { operationName: 'StudentHome', variables: { applications: 5, notifications: 10 } };
      const full = { query: print(parse(text)), ...common }; // as clients print a document
      const minified = { query: text, ...common };
      const byApq = { ...common, extensions: apq(id.replace(/^sha256:/, '')) };
      const byId = { documentId: id, ...common };
      const headers = { 'content-type': 'application/json', ...(await bearer()) };
      const send = async (body: Record<string, unknown>) => {
        proxy.take();
        const res = await fetch(`${proxy.url}/graphql`, { method: 'POST', headers, body: JSON.stringify(body) });
        const json = (await res.json()) as RawGraphQLResponse['body'];
        return { status: res.status, code: json.errors?.[0]?.extensions?.code, wire: proxy.take(), body: body };
      };
      const results = {
        'full document (as written)': await send(full),
        'full document (minified)': await send(minified),
        'APQ hash (extensions.persistedQuery)': await send(byApq),
        'trusted document id (documentId)': await send(byId),
      };
      // Every form reached the subgraphs (none was refused by the router).
      for (const result of Object.values(results)) expect(result.code).toBe('UNAVAILABLE');
      const rows = Object.entries(results).map(([form, r]) => ({
        form,
        'body bytes': Buffer.byteLength(JSON.stringify(r.body)),
        'request bytes (with headers and a bearer token)': r.wire,
      }));
      const asWritten = rows[0]!;
      const byDocumentId = rows[3]!;
      console.log(
        [
          'StudentHome request bytes:',
          ...rows.map(
            (r) =>
              `  ${r.form}: body ${r['body bytes']} B, request ${r['request bytes (with headers and a bearer token)']} B`,
          ),
          `  saved per request by documentId: ${asWritten['body bytes'] - byDocumentId['body bytes']} B of body ` +
            `(${Math.round((1 - byDocumentId['body bytes'] / asWritten['body bytes']) * 100)} %), ` +
            `${Math.round((1 - byDocumentId['request bytes (with headers and a bearer token)'] / asWritten['request bytes (with headers and a bearer token)']) * 100)} % of the request`,
        ].join('\n'),
      );
      expect(byDocumentId['body bytes'] * 4).toBeLessThan(asWritten['body bytes']);
    } finally {
      await proxy.stop();
      await router.close();
    }
  });
});

/** The home-screen document of the committed manifest (packages/client/operations/home.graphql). */
function studentHome(): { id: string; text: string } {
  const manifest = JSON.parse(fs.readFileSync(DEFAULT_PERSISTED_OPERATIONS_FILE, 'utf8')) as Record<string, string>;
  const entry = Object.entries(manifest).find(([, text]) => /\bquery StudentHome\b/.test(text));
  if (!entry) throw new Error(`no StudentHome in ${DEFAULT_PERSISTED_OPERATIONS_FILE}`);
  return { id: entry[0], text: entry[1] };
}
