import type { Express, Request, Response } from 'express';
import {
  bearerToken,
  methodNotAllowed,
  route,
  sendError,
  timedRoute,
  unauthenticated,
  type Logger,
  type Metrics,
  type TokenVerifier,
} from '@campus/platform';
import { tooManyStreams } from '../../domain/errors';
import type { StoredNotification } from '../../domain/notification';
import { parseLastEventId, parseStreamTicket } from '../../schemas/inputs';
import type { NotificationServices } from '../../services';
import { presentNotification } from '../graphql/notification.view';

export const STREAM_PATH = '/notifications/stream';

/** A client that does not read its stream is cut off (it reconnects and catches up with Last-Event-ID). */
const MAX_BUFFERED_BYTES = 256 * 1024;
/** Ids remembered per stream, so a replayed notification is never pushed twice. */
const REMEMBERED_IDS = 200;

export interface StreamHubOptions {
  heartbeatMs: number;
  /**
   * A stream ends after this long at the latest (and when its access token expires): the client
   * reconnects with fresh credentials.
   */
  maxLifetimeMs: number;
  retryMs: number;
  maxStreamsPerUser: number;
  logger: Logger;
  metrics?: Metrics;
}

export interface LiveStream {
  userId: string;
  res: Response;
  sent: Set<string>;
  heartbeat: NodeJS.Timeout;
  expiry: NodeJS.Timeout;
}

/**
 * The live streams this instance holds, by user. Holds no state another instance needs: a client
 * reconnecting anywhere gets what it missed from the database (Last-Event-ID).
 */
export class StreamHub {
  private readonly streams = new Map<string, Set<LiveStream>>();
  private readonly pushed;

  constructor(private readonly options: StreamHubOptions) {
    options.metrics?.gauge(
      'campus_notification_streams',
      'Open live notification streams on this instance',
      [],
      (gauge) => {
        gauge.set(this.size);
      },
    );
    this.pushed = options.metrics?.counter('campus_notification_pushed_total', 'Notifications pushed to live streams');
  }

  /** The service's metrics (the stream route counts its opens on them). */
  get metrics(): Metrics | undefined {
    return this.options.metrics;
  }

  get size(): number {
    let n = 0;
    for (const set of this.streams.values()) n += set.size;
    return n;
  }

  /**
   * Starts an SSE response for `userId`, ending by `credentialsExpireAt` (if given) and the maximum
   * lifetime; throws (before any byte is sent) when they hold too many.
   */
  open(userId: string, req: Request, res: Response, credentialsExpireAt: Date | null = null): LiveStream {
    const mine = this.streams.get(userId) ?? new Set<LiveStream>();
    if (mine.size >= this.options.maxStreamsPerUser) {
      throw tooManyStreams(this.options.maxStreamsPerUser);
    }
    req.socket.setTimeout(0);
    req.socket.setNoDelay(true);
    req.socket.setKeepAlive(true);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // nginx and the campus router: do not buffer events
    });
    res.write(`retry: ${this.options.retryMs}\n\n`);
    const stream: LiveStream = {
      userId,
      res,
      sent: new Set(),
      heartbeat: setInterval(() => this.write(stream, ': heartbeat\n\n'), this.options.heartbeatMs),
      expiry: setTimeout(() => this.expire(stream), this.lifetimeMs(credentialsExpireAt)),
    };
    mine.add(stream);
    this.streams.set(userId, mine);
    res.once('close', () => this.forget(stream));
    return stream;
  }

  /** Pushes to every stream of the notification's user on this instance. */
  deliver(notification: StoredNotification): void {
    for (const stream of this.streams.get(notification.userId) ?? []) this.send(stream, notification);
  }

  send(stream: LiveStream, notification: StoredNotification): void {
    if (stream.sent.has(notification.id)) return;
    stream.sent.add(notification.id);
    if (stream.sent.size > REMEMBERED_IDS) stream.sent.delete(stream.sent.values().next().value!);
    const data = JSON.stringify(presentNotification(notification)); // JSON has no raw newlines: one data line
    if (this.write(stream, `id: ${notification.id}\nevent: notification\ndata: ${data}\n\n`)) this.pushed?.inc();
  }

  /** Ends every stream (shutdown): clients reconnect, possibly to another instance. */
  closeAll(): void {
    for (const set of this.streams.values()) for (const stream of set) stream.res.end();
    this.streams.clear();
  }

  private write(stream: LiveStream, chunk: string): boolean {
    const { res } = stream;
    if (res.writableEnded || res.destroyed) return false;
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      this.options.logger.warn({ userId: stream.userId }, 'live stream is not being read; closing it');
      res.end();
      return false;
    }
    res.write(chunk);
    return true;
  }

  private lifetimeMs(credentialsExpireAt: Date | null): number {
    const untilExpiry = credentialsExpireAt ? credentialsExpireAt.getTime() - Date.now() : Infinity;
    return Math.max(0, Math.min(this.options.maxLifetimeMs, untilExpiry));
  }

  /** Tells the client why the stream ends (it should reconnect with fresh credentials), then ends it. */
  private expire(stream: LiveStream): void {
    this.write(
      stream,
      'event: expired\ndata: {"reason":"credentials expired; reconnect with a fresh token or ticket"}\n\n',
    );
    stream.res.end();
  }

  private forget(stream: LiveStream): void {
    clearInterval(stream.heartbeat);
    clearTimeout(stream.expiry);
    const set = this.streams.get(stream.userId);
    set?.delete(stream);
    if (set?.size === 0) this.streams.delete(stream.userId);
  }
}

export interface StreamRouteDeps {
  hub: StreamHub;
  services: NotificationServices;
  tokenVerifier: TokenVerifier;
  logger: Logger;
}

/** The user of a stream request: a bearer token (header) or a single-use ticket (?ticket=). */
async function streamUser(req: Request, deps: StreamRouteDeps): Promise<{ userId: string; expiresAt: Date | null }> {
  const token = bearerToken(req.header('authorization'));
  if (token) {
    const auth = await deps.tokenVerifier.verify(token);
    return { userId: auth.userId, expiresAt: auth.expiresAt ?? null };
  }
  const ticket = req.query.ticket;
  if (typeof ticket === 'string' && ticket !== '') {
    const holder = await deps.services.inbox.streamTicketHolder(parseStreamTicket(ticket));
    return { userId: holder.userId, expiresAt: holder.credentialsExpireAt };
  }
  throw unauthenticated(
    'Sign in to open the notification stream: send "Authorization: Bearer <token>" or ?ticket=<ticket>',
  );
}

/** The operation label of stream opens in campus_requests_total / campus_request_duration_seconds. */
export const STREAM_OPERATION = `GET ${STREAM_PATH}`;

/**
 * GET /notifications/stream — the caller's new notifications as Server-Sent Events
 * (`event: notification`, `id:` = notification id, JSON data as in GraphQL), heartbeat comments
 * while idle, and on reconnect (Last-Event-ID) whatever was missed. Errors before the stream
 * starts are plain JSON {error_code, message, details} with the usual status.
 *
 * Every open is a request in the platform's request metrics (timedRoute, like the upload and
 * download routes): "ok" once the stream is open, else the refusal's code (UNAUTHENTICATED, a spent
 * ticket, too many streams). The handler returns once the stream is open and the missed
 * notifications are replayed, so the duration is the time to open, never the stream's lifetime.
 */
export function mountStreamRoutes(app: Express, deps: StreamRouteDeps): void {
  // Express would answer HEAD with the GET handler, i.e. open a stream that never ends.
  app.head(STREAM_PATH, (_req, res) => {
    res.set('allow', 'GET');
    sendError(res, methodNotAllowed('Open the stream with GET'));
  });
  const { metrics } = deps.hub;
  const handle = (handler: (req: Request, res: Response) => Promise<void>) =>
    metrics ? timedRoute(metrics, STREAM_OPERATION, handler) : route(handler);
  app.get(
    STREAM_PATH,
    handle(async (req, res) => {
      const { userId, expiresAt } = await streamUser(req, deps);
      const stream = deps.hub.open(userId, req, res, expiresAt);
      const lastEventId = parseLastEventId(
        req.header('last-event-id') ?? (typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined),
      );
      if (!lastEventId) return;
      try {
        for (const missed of await deps.services.inbox.missedSince(userId, lastEventId)) deps.hub.send(stream, missed);
      } catch (error) {
        // Catching up is best effort; the stream itself is fine and the inbox has everything.
        deps.logger.warn({ err: error, userId }, 'could not replay missed notifications');
      }
    }),
  );
}
