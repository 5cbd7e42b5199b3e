import express from 'express';
import pino from 'pino';
import { conflict, serviceBusy } from '../../src/errors';
import { httpErrorHandler, listen, route, sendError, type RunningHttpServer } from '../../src/http';

// Plain HTTP errors over a real listener: the body, the status of the kind, Retry-After.

const logger = pino({ level: 'silent' });

describe('plain HTTP errors', () => {
  let server: RunningHttpServer;
  let base: string;

  beforeAll(async () => {
    const app = express();
    app.post('/echo', express.json({ limit: '100b' }), (req, res) => {
      res.json(req.body);
    });
    app.post(
      '/taken',
      route(async () => {
        throw conflict('That room is taken', { room: '101' }, 'TEST_ROOM_TAKEN');
      }),
    );
    app.get('/busy', (_req, res) => sendError(res, serviceBusy()));
    app.get(
      '/bug',
      route(async () => {
        throw new Error('relation "rooms" does not exist');
      }),
    );
    app.use(httpErrorHandler(logger));
    server = await listen(app, '127.0.0.1', 0);
    base = `http://127.0.0.1:${server.port}`;
  });

  afterAll(() => server.close(100));

  const post = (path: string, body: string) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('answers a domain error with the status of its kind and {"error_code","message","details"}', async () => {
    const res = await post('/taken', '{}');
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error_code: 'TEST_ROOM_TAKEN',
      message: 'That room is taken',
      details: { room: '101' },
    });
  });

  it('asks a busy service’s client to retry after the given seconds', async () => {
    const res = await fetch(`${base}/busy`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ error_code: 'UNAVAILABLE', details: { retryable: true } });
  });

  it('hides a bug behind INTERNAL_ERROR', async () => {
    const res = await fetch(`${base}/bug`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error_code: 'INTERNAL_ERROR', message: 'Internal server error', details: {} });
  });

  it('answers a body over the limit 413 PAYLOAD_TOO_LARGE, and a malformed one 400 VALIDATION_ERROR', async () => {
    const large = await post('/echo', JSON.stringify({ text: 'x'.repeat(200) }));
    expect(large.status).toBe(413);
    expect(await large.json()).toEqual({
      error_code: 'PAYLOAD_TOO_LARGE',
      message: 'The request body is too large',
      details: {},
    });
    const malformed = await post('/echo', '{"text":');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error_code: 'VALIDATION_ERROR' });
  });
});
