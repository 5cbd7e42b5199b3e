import http from 'node:http';
import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import {
  httpStatusOf,
  isInternal,
  toHttpErrorBody,
  toPublicError,
  tooLarge,
  validationError,
  type DomainError,
} from './errors';
import type { HealthRegistry } from './health';
import type { Metrics } from './metrics';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Keeps a client-supplied request id (if sane) or makes one, and echoes it in the response. */
export function assignRequestId(req: http.IncomingMessage, res: http.ServerResponse): void {
  const given = req.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
  req.headers[REQUEST_ID_HEADER] = id;
  res.setHeader(REQUEST_ID_HEADER, id);
}

/**
 * One step of an HTTP edge, written against Node's request and response so that it serves both an
 * Express app (as middleware) and a path that answers without Express (runSteps).
 */
export type HttpStep = (req: http.IncomingMessage, res: http.ServerResponse, next: (error?: unknown) => void) => void;

/** Runs `steps` in order, as Express would: `done` after the last; a step that answers stops there. */
export function runSteps(
  steps: readonly HttpStep[],
  req: http.IncomingMessage,
  res: http.ServerResponse,
  done: () => void,
  fail: (error: unknown) => void,
): void {
  const step = (index: number) => (error?: unknown) => {
    if (error !== undefined) return fail(error);
    if (index === steps.length) return done();
    try {
      steps[index]!(req, res, step(index + 1));
    } catch (thrown) {
      fail(thrown); // as Express passes a step's throw to the error handler
    }
  };
  step(0)();
}

/** assignRequestId as a step (Express middleware, runSteps). */
export const requestId: HttpStep = (req, res, next) => {
  assignRequestId(req, res);
  next();
};

/** Liveness, readiness (503 naming the failing checks) and Prometheus metrics. */
export function mountOperationalRoutes(app: Express, health: HealthRegistry, metrics: Metrics): void {
  app.get('/health/liveness', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/readiness', async (_req, res) => {
    const report = await health.readiness();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
}

/**
 * The one way to answer a plain HTTP request with an error: {"error_code","message","details"},
 * the status of the error's kind, Retry-After when details.retryAfterSeconds is a number. Anything
 * that is not a DomainError is shown as toPublicError shows it; a bug is logged with its stack.
 */
export function sendError(res: http.ServerResponse, error: unknown, logger?: Logger): void {
  const publicError = toPublicError(error);
  if (isInternal(error)) logger?.error({ err: error, path: res.req?.url?.split('?')[0] }, 'HTTP handler failed');
  writeError(res, httpStatusOf(publicError), publicError);
}

// Plain Node, not Express's res.json: the subgraphs' GraphQL POST path answers without Express.
function writeError(res: http.ServerResponse, status: number, publicError: DomainError): void {
  const retryAfter = publicError.details.retryAfterSeconds;
  if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
  const body = JSON.stringify(toHttpErrorBody(publicError));
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** The status body-parser (express.json) refused a request body with, if `error` is such a refusal. */
function bodyParserStatus(error: unknown): number | undefined {
  const refusal = error as { status?: unknown; type?: unknown } | null;
  return refusal?.type && typeof refusal.status === 'number' ? refusal.status : undefined;
}

/** Final error handler of plain HTTP routes: {"error_code","message","details"}, never internals. */
export function httpErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const refused = bodyParserStatus(error);
    if (refused === undefined) return sendError(res, error, logger);
    if (refused === 413) return sendError(res, tooLarge('The request body is too large'));
    if (refused === 400) return sendError(res, validationError('The request body is not valid JSON'));
    // Other refusals of the body (415 charset/encoding, 403 verify) keep body-parser's status.
    writeError(res, refused, toPublicError(error));
  };
}

/** Async route handler whose rejections reach the error handler. */
export const route =
  (handler: (req: express.Request, res: express.Response) => Promise<void>): RequestHandler =>
  (req, res, next) => {
    handler(req, res).catch(next);
  };

export interface RunningHttpServer {
  server: http.Server;
  port: number;
  close(graceMs?: number): Promise<void>;
}

/** Listens and returns a closer that stops accepting, lets requests finish, then cuts stragglers. */
export async function listen(
  app: Express | http.RequestListener,
  host: string,
  port: number,
): Promise<RunningHttpServer> {
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000; // longer than typical proxy idle timeouts
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    port: boundPort,
    close: (graceMs = 10_000) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
