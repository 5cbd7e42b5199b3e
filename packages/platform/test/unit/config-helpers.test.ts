import { z } from 'zod';
import { envTypes, grpcDependencyEnv, loadConfig, subgraphEnv, subgraphSettings } from '../../src/config';

describe('envTypes', () => {
  const schema = z.object({ TTL_SECONDS: envTypes.seconds.default(900), BATCH: envTypes.positiveInt });

  it('coerces whole positive numbers, with defaults where given', () => {
    expect(loadConfig(schema, { BATCH: '50' })).toEqual({ TTL_SECONDS: 900, BATCH: 50 });
    expect(loadConfig(schema, { BATCH: '1', TTL_SECONDS: '30' })).toEqual({ TTL_SECONDS: 30, BATCH: 1 });
  });

  it('refuses zero, negatives and fractions', () => {
    for (const bad of ['0', '-5', '1.5', 'soon']) {
      expect(() => loadConfig(schema, { BATCH: bad })).toThrow('BATCH');
      expect(() => loadConfig(schema, { BATCH: '1', TTL_SECONDS: bad })).toThrow('TTL_SECONDS');
    }
  });
});

describe('grpcDependencyEnv', () => {
  it('declares <NAME>_GRPC_URL with the dependency’s local port as default', () => {
    const env = grpcDependencyEnv('IDENTITY', 50051);
    const typed: z.ZodDefault<z.ZodString> = env.IDENTITY_GRPC_URL; // the key is typed, not just a string index
    expect(Object.keys(env)).toEqual(['IDENTITY_GRPC_URL']);
    const schema = z.object({ ...env, ...grpcDependencyEnv('LEAVE', 50055) });
    expect(loadConfig(schema, {})).toEqual({ IDENTITY_GRPC_URL: '127.0.0.1:50051', LEAVE_GRPC_URL: '127.0.0.1:50055' });
    expect(loadConfig(schema, { LEAVE_GRPC_URL: 'leave:50055' }).LEAVE_GRPC_URL).toBe('leave:50055');
    expect(() => loadConfig(schema, { IDENTITY_GRPC_URL: '' })).toThrow('IDENTITY_GRPC_URL');
    expect(typed).toBe(env.IDENTITY_GRPC_URL);
  });

  it('refuses names that would not make an UPPER_SNAKE variable, and impossible ports', () => {
    expect(() => grpcDependencyEnv('identity', 50051)).toThrow('UPPER_SNAKE');
    expect(() => grpcDependencyEnv('IDENTITY', 0)).toThrow('port');
  });
});

describe('subgraphSettings: the consumer queues a producer declares', () => {
  const schema = z.object(subgraphEnv('leave', 4005, 50055));
  const queuesOf = (env: NodeJS.ProcessEnv) => subgraphSettings(loadConfig(schema, env)).amqp.eventQueues;

  it('declares notification.events bound to the types whose x-consumers name notification, by default', () => {
    const [queue, ...others] = queuesOf({});
    expect(others).toEqual([]);
    expect(queue?.queue).toBe('notification.events');
    expect(queue?.bindings).toContain('campus.leave.application.approved.v1');
    expect(queue?.bindings).not.toContain('campus.leave.application.document_attached.v1'); // nobody consumes it
  });

  it('follows NOTIFICATION_QUEUE, and declares nothing when it is empty (a producer’s own tests)', () => {
    expect(queuesOf({ NOTIFICATION_QUEUE: 'notification.events.blue' }).map((q) => q.queue)).toEqual([
      'notification.events.blue',
    ]);
    expect(queuesOf({ NOTIFICATION_QUEUE: '' })).toEqual([]);
  });
});
