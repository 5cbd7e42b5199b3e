// A gRPC dependency in readiness: up while its server accepts connections, down (503 naming it)
// once the server is gone, up again when it is back; no call is made, verdicts are reused.
import { identityService } from '@campus/contracts';
import { eventually, freePort } from '@campus/testkit';
import express from 'express';
import pino from 'pino';
import { createGrpcClient, grpcReachability, startGrpcServer, type RunningGrpcServer } from '../../src/grpc';
import { HealthRegistry } from '../../src/health';
import { listen, mountOperationalRoutes, type RunningHttpServer } from '../../src/http';
import { Metrics } from '../../src/metrics';

const logger = pino({ level: 'silent' });
// A server without services still accepts connections: reachability asks nothing of them.
const startServer = (port: number) => startGrpcServer({ host: '127.0.0.1', port, logger, services: [] });

describe('grpcReachability', () => {
  let port: number;
  let server: RunningGrpcServer | undefined;
  let http: RunningHttpServer | undefined;
  const clients: { $close(): void }[] = [];

  beforeEach(async () => {
    port = await freePort();
    server = await startServer(port);
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.$close();
    await server?.close();
    server = undefined;
    await http?.close();
    http = undefined;
  });

  const client = (reachability: { timeoutMs?: number; cacheMs?: number } = {}) => {
    const made = createGrpcClient(identityService, `127.0.0.1:${port}`, { name: 'identity', reachability });
    clients.push(made);
    return made;
  };

  const readiness = async () => {
    const res = await fetch(`http://127.0.0.1:${http!.port}/health/readiness`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('makes readiness answer 200 while the dependency is up, and 503 naming it once it is down', async () => {
    const identity = client({ timeoutMs: 300, cacheMs: 0 });
    const health = new HealthRegistry().add('database', async () => undefined);
    health.add('grpc:identity', grpcReachability(identity));
    const app = express();
    mountOperationalRoutes(app, health, new Metrics('reachability_test'));
    http = await listen(app, '127.0.0.1', 0);

    // The first probe wakes the idle channel (no call was ever made) and waits for it to connect.
    expect(await readiness()).toEqual({
      status: 200,
      body: { status: 'ok', checks: { database: 'up', 'grpc:identity': 'up' }, failing: [] },
    });

    await server!.close();
    server = undefined;
    const down = await eventually(readiness, (r) => r.status === 503, 5_000, 'readiness to fail');
    expect(down.body).toEqual({
      status: 'unavailable',
      checks: { database: 'up', 'grpc:identity': 'down' },
      failing: ['grpc:identity'],
    });

    server = await startServer(port);
    const back = await eventually(readiness, (r) => r.status === 200, 10_000, 'readiness to recover');
    expect(back.body).toMatchObject({ checks: { 'grpc:identity': 'up' } });
  });

  it('fails within its bound when nothing listens, naming the dependency and the channel state', async () => {
    await server!.close();
    server = undefined;
    const check = grpcReachability(client({ timeoutMs: 300, cacheMs: 0 }));
    const started = Date.now();
    await expect(check()).rejects.toThrow(
      /^identity \(127\.0\.0\.1:\d+\) is not reachable: channel [A-Z_]+ after 300 ms$/,
    );
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('reuses a verdict for cacheMs', async () => {
    const check = grpcReachability(client({ timeoutMs: 300, cacheMs: 1_500 }));
    await Promise.all([check(), check()]); // concurrent probes share one wait

    await server!.close();
    server = undefined;
    await expect(check()).resolves.toBeUndefined(); // still the verdict of a moment ago
    await new Promise((r) => setTimeout(r, 1_600));
    await expect(check()).rejects.toThrow(/not reachable/);
  });

  it('refuses what createGrpcClient did not make', () => {
    expect(() => grpcReachability({ GetUser: async () => ({}) })).toThrow(/not a client made by createGrpcClient/);
  });
});
