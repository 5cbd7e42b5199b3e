// `npm run new:subgraph`, then the generated service for real, on a scratch checkout: its init
// migration is what its schema needs (as `npm run migrations:check` asks), `prisma migrate deploy`
// applies it to a fresh database, and the service starts (tsx, as `npm start` runs subgraphs),
// becomes ready, and answers its GraphQL query and gRPC GetStatus.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createGrpcClient, type GrpcServiceBinding } from '@campus/platform';
import {
  errorCodes,
  eventually,
  freePort,
  graphqlRequest,
  serveJwks,
  student,
  testAmqpUrl,
  testServerUrl,
  testServiceAuthSecret,
  testTokens,
  uniqueBrokerNames,
  type JwksServer,
  type TestTokens,
} from '@campus/testkit';
import { bin, newSubgraph, prismaIn, scratchCheckout } from '../support/scratch-checkout';

const database = `t_newsubgraph_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testServerUrl('postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('a subgraph fresh from npm run new:subgraph', () => {
  let root: string;
  let tokens: TestTokens;
  let jwks: JwksServer;
  let service: ChildProcess | undefined;
  const output: string[] = [];
  let httpPort: number;
  let grpcPort: number;
  const graphql = () => `http://127.0.0.1:${httpPort}/graphql`;

  beforeAll(async () => {
    root = scratchCheckout();
    const generated = newSubgraph('laundry', '4008', '50058', '--root', root);
    expect({ status: generated.status, stderr: generated.stderr }).toEqual({ status: 0, stderr: '' });
    expect(prismaIn(root, 'laundry', ['generate', '--no-hints']).status).toBe(0);
    await admin(`CREATE DATABASE "${database}"`);
    const migrated = prismaIn(root, 'laundry', ['migrate', 'deploy'], { DATABASE_URL: testServerUrl(database) });
    expect({ status: migrated.status, output: migrated.status ? migrated.stdout + migrated.stderr : '' }).toEqual({
      status: 0,
      output: '',
    });

    tokens = await testTokens();
    jwks = await serveJwks(tokens.jwks);
    [httpPort, grpcPort] = [await freePort(), await freePort()];
    service = spawn(bin('tsx'), ['subgraphs/laundry/src/main.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        HTTP_PORT: String(httpPort),
        GRPC_PORT: String(grpcPort),
        DATABASE_URL: testServerUrl(database),
        AMQP_URL: testAmqpUrl(),
        AMQP_EXCHANGE: uniqueBrokerNames('laundry').exchange,
        AUTH_JWKS_URL: jwks.url,
        AUTH_ISSUER: tokens.issuer,
        AUTH_AUDIENCE: tokens.audience,
        SERVICE_AUTH_SECRET: testServiceAuthSecret(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    service.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    service.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  }, 120_000);

  afterAll(async () => {
    if (service && service.exitCode === null) {
      const exited = new Promise((resolve) => service!.once('exit', resolve));
      service.kill('SIGTERM');
      await exited;
    }
    await jwks?.stop();
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('has the migrations its schema needs (migrations:check)', () => {
    const diff = prismaIn(
      root,
      'laundry',
      [
        'migrate',
        'diff',
        '--from-migrations',
        'prisma/laundry/migrations',
        '--to-schema-datamodel',
        'prisma/laundry/schema.prisma',
        '--exit-code',
      ],
      { DATABASE_URL: testServerUrl('postgres') },
    );
    expect({ status: diff.status, output: diff.status ? diff.stdout + diff.stderr : '' }).toEqual({
      status: 0,
      output: '',
    });
  });

  it('starts and is ready once its database and broker answer', async () => {
    const readiness = await eventually(
      async () => {
        const res = await fetch(`http://127.0.0.1:${httpPort}/health/readiness`).catch(() => undefined);
        return { status: res?.status, body: res ? ((await res.json()) as unknown) : output.join('') };
      },
      (r) => r.status === 200 || service?.exitCode !== null,
      60_000,
      'readiness',
    );
    expect(readiness).toEqual({
      status: 200,
      body: { status: 'ok', checks: { database: 'up', broker: 'up' }, failing: [] },
    });
  });

  it('answers its GraphQL query to a signed-in user, and UNAUTHENTICATED to anyone else', async () => {
    const query = '{ laundryServiceStatus { pendingEvents checkedAt } }';
    expect(errorCodes(await graphqlRequest(graphql(), query))).toEqual(['UNAUTHENTICATED']);
    const answer = await graphqlRequest(graphql(), query, { token: await tokens.tokenFor(student()) });
    expect(answer).toMatchObject({
      status: 200,
      data: { laundryServiceStatus: { pendingEvents: 0, checkedAt: expect.any(String) } },
    });
  });

  it('answers GetStatus over gRPC', async () => {
    const grpcModule = path.join(root, 'subgraphs', 'laundry', 'src', 'api', 'grpc', 'laundry.grpc.ts');
    const { laundryService } = (await import(grpcModule)) as { laundryService: GrpcServiceBinding['definition'] };
    // The definition is typed in the generated module; this test only knows its path.
    const client = createGrpcClient(laundryService, `127.0.0.1:${grpcPort}`, { name: 'laundry' }) as unknown as {
      GetStatus(request: object): Promise<unknown>;
      $close(): void;
    };
    try {
      expect(await client.GetStatus({})).toEqual({
        pendingEvents: 0,
        checkedAt: { seconds: expect.stringMatching(/^\d+$/), nanos: expect.any(Number) },
      });
    } finally {
      client.$close();
    }
  });
});
