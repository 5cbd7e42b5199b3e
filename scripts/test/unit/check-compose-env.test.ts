import { ConfigError } from '@campus/platform';
import { leaveEnv, loadLeaveConfig } from '../../../subgraphs/leave/src/config';
import {
  checkComposeEnv,
  checkServiceEnv,
  loopbackDefaults,
  problemVariables,
  requiredInProduction,
  serviceEnvironments,
  type Env,
  type EnvSchema,
} from '../../check-compose-env';

// A small service: a token required in production, a database URL defaulting to this machine.
const demoSchema: EnvSchema = {
  shape: {
    DATABASE_URL: { safeParse: (v) => ({ success: true, data: v ?? 'postgresql://postgres@127.0.0.1:5432/demo' }) },
    TOKEN: { safeParse: (v) => ({ success: true, data: v }) },
    PORT: { safeParse: (v) => ({ success: true, data: v ?? 4000 }) },
  },
};
const demo = {
  schema: demoSchema,
  load: (env: Env) => {
    const problems: string[] = [];
    if (env.NODE_ENV === 'production' && !env.TOKEN) problems.push('TOKEN is required (required in production)');
    if (env.TOKEN !== undefined && env.TOKEN.length < 8) problems.push('TOKEN: too short');
    if (problems.length) throw new ConfigError(problems);
    return env;
  },
};

describe('compose env check', () => {
  it('derives what a service requires in production and which defaults point at this machine', () => {
    expect(requiredInProduction(demo.load)).toEqual(['TOKEN']);
    expect(loopbackDefaults(demoSchema)).toEqual(['DATABASE_URL']);
    expect(requiredInProduction(loadLeaveConfig)).toEqual(
      expect.arrayContaining(['FILE_URL_SECRET', 'SERVICE_AUTH_SECRET']),
    );
    expect(loopbackDefaults(leaveEnv)).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'AMQP_URL', 'IDENTITY_GRPC_URL']),
    );
  });

  it('reads variable names from config problems', () => {
    expect(problemVariables(['TOKEN is required (x)', 'PORT: too big', 'TOKEN: short'])).toEqual(['TOKEN', 'PORT']);
  });

  it('accepts a complete production environment', () => {
    expect(
      checkServiceEnv('demo', demo, {
        NODE_ENV: 'production',
        TOKEN: 'long-enough',
        DATABASE_URL: 'postgresql://db/demo',
      }),
    ).toEqual([]);
  });

  it('names what is missing, too short, left on a loopback default or not production', () => {
    expect(checkServiceEnv('demo', demo, { NODE_ENV: 'development', TOKEN: 'short' })).toEqual([
      'demo: NODE_ENV is development, not production',
      'demo: DATABASE_URL is not set (its default points at this machine)',
      expect.stringMatching(/^demo: TOKEN: /),
    ]);
    expect(checkServiceEnv('demo', demo, { NODE_ENV: 'production', DATABASE_URL: 'x' })).toContain(
      'demo: TOKEN is required in production and not set',
    );
    expect(checkServiceEnv('demo', demo, undefined)).toEqual(['demo: no such service in the compose file']);
  });

  it('finds the 23-character FILE_URL_SECRET the compose file used to default to', () => {
    const rendered = {
      services: {
        leave: {
          environment: {
            NODE_ENV: 'production',
            BIND_HOST: '0.0.0.0',
            DATABASE_URL: 'postgresql://leave:pw@postgres:5432/campus_leave',
            AMQP_URL: 'amqp://campus:pw@rabbitmq:5672',
            AUTH_JWKS_URL: 'http://identity:4001/.well-known/jwks.json',
            IDENTITY_GRPC_URL: 'identity:50051',
            PUBLIC_BASE_URL: 'http://localhost:4000',
            FILE_URL_SECRET: 'change-me-in-production',
            SERVICE_AUTH_SECRET: 'a-service-auth-secret-of-32-characters-or-more',
          },
        },
      },
    };
    expect(checkComposeEnv(rendered, { leave: { load: loadLeaveConfig, schema: leaveEnv } })).toEqual([
      expect.stringMatching(/^leave: FILE_URL_SECRET: /),
    ]);
  });

  it('reads map and list environments of the rendered file', () => {
    expect(
      serviceEnvironments({ services: { a: { environment: { X: 1, Y: null } }, b: { environment: ['K=v=w'] } } }),
    ).toEqual({
      a: { X: '1', Y: '' },
      b: { K: 'v=w' },
    });
  });
});
