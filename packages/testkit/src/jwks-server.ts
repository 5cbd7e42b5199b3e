import http from 'node:http';
import type { JSONWebKeySet } from 'jose';

export interface JwksServer {
  /** Where the key set is served, like identity's /.well-known/jwks.json. */
  url: string;
  stop(): Promise<void>;
}

/** Serves a JWKS document over HTTP, for verifiers that fetch their keys (the router). */
export async function serveJwks(jwks: JSONWebKeySet): Promise<JwksServer> {
  const body = JSON.stringify(jwks);
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
