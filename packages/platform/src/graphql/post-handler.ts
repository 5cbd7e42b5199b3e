import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext as ApolloContext } from '@apollo/server';
import type { Logger } from 'pino';
import { DatabaseTime, withDatabaseTime } from '../database-time';
import { tooLarge, validationError } from '../errors';
import { requestId, runSteps, sendError, type HttpStep } from '../http';
import type { DirectAnswer } from './direct-execution';

export interface GraphQLPostOptions<TContext extends ApolloContext> {
  /** Largest body accepted, in bytes (413 PAYLOAD_TOO_LARGE above it). */
  maxBodyBytes: number;
  context: (req: IncomingMessage) => Promise<TContext>;
  logger: Logger;
  /** The paths (with or without a query string) it answers on; default /graphql. */
  paths?: readonly string[];
  /**
   * What the Express app does first for every request (the router's trace, CORS, rate limit…), run
   * before the body is read; default: the request id. A step that answers ends the request there.
   */
  steps?: readonly HttpStep[];
  /**
   * Tally each request's SQL statements (database-time.ts) for its operation's log line and
   * metrics: a subgraph's; the router runs none.
   */
  databaseTime?: boolean;
  /** Answers what it takes without Apollo Server (a subgraph's operations, direct-execution.ts); undefined: Apollo's. */
  direct?: (req: IncomingMessage, body: unknown) => Promise<DirectAnswer | undefined>;
}

/**
 * POST /graphql with a JSON body, straight to Apollo Server, without Express: every call the router
 * makes to a subgraph, and every client request the router serves, so the fixed cost per request
 * matters. Express's router and body-parser (content type parsing, type-is, raw-body with
 * iconv-lite, prototypes swapped per request) cost notification ~40 % of its CPU per
 * markAllNotificationsRead (0.67–0.73 → 0.38–0.43 ms, docs/performance.md). Anything else (GET,
 * another content type, a compressed body, the operational routes) is not taken and goes to the
 * Express app, whose answers stay as they were.
 */
export function graphqlPostHandler<TContext extends ApolloContext>(
  apollo: ApolloServer<TContext>,
  options: GraphQLPostOptions<TContext>,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const paths = options.paths ?? ['/graphql'];
  const steps = options.steps ?? [requestId];
  return (req, res) => {
    if (!takes(req, paths)) return false;
    // A refused body is the client's mistake (413, 400); anything else is logged as a bug.
    const fail = (error: unknown) => {
      if (!res.headersSent) sendError(res, error, options.logger);
      else res.destroy(error instanceof Error ? error : undefined);
    };
    runSteps(
      steps,
      req,
      res,
      () => {
        const run = () =>
          readBody(req, options.maxBodyBytes)
            .then((text) => execute(apollo, options, req, res, text))
            .catch(fail);
        if (options.databaseTime) withDatabaseTime(new DatabaseTime(), run);
        else run();
      },
      fail,
    );
    return true;
  };
}

function takes(req: IncomingMessage, paths: readonly string[]): boolean {
  if (req.method !== 'POST') return false;
  const url = req.url ?? '';
  const query = url.indexOf('?');
  if (!paths.includes(query < 0 ? url : url.slice(0, query))) return false;
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding !== 'identity') return false;
  // What the router, Hive Gateway and Apollo's clients send; other charsets are body-parser's.
  return JSON_UTF8.test(req.headers['content-type'] ?? '');
}

const JSON_UTF8 = /^application\/json\s*(;\s*charset=utf-8\s*)?$/i;

function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > maxBytes) {
      reject(tooLargeBody());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        reject(tooLargeBody());
      } else chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

// The messages of httpErrorHandler's answers to body-parser's refusals: one answer whichever path.
const tooLargeBody = () => tooLarge('The request body is too large');
const notJson = () => validationError('The request body is not valid JSON');

/** As body-parser's strict JSON: an object or an array, else 400 VALIDATION_ERROR. */
function parseJson(text: string): unknown {
  const first = /\S/.exec(text)?.[0];
  if (first !== '{' && first !== '[') throw notJson();
  try {
    return JSON.parse(text);
  } catch {
    throw notJson();
  }
}

async function execute<TContext extends ApolloContext>(
  apollo: ApolloServer<TContext>,
  options: GraphQLPostOptions<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  text: string,
): Promise<void> {
  const body = parseJson(text);
  const direct = await options.direct?.(req, body);
  if (direct) {
    for (const [key, value] of direct.headers) res.setHeader(key, value);
    res.statusCode = direct.status;
    send(res, direct.body);
    return;
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = req.url ?? '';
  const query = url.indexOf('?');
  const answer = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: 'POST',
      headers,
      search: query < 0 ? '' : url.slice(query),
      body,
    },
    context: () => options.context(req),
  });
  for (const [key, value] of answer.headers) res.setHeader(key, value);
  res.statusCode = answer.status ?? 200;
  if (answer.body.kind === 'complete') {
    send(res, answer.body.string);
    return;
  }
  for await (const chunk of answer.body.asyncIterator) res.write(chunk);
  res.end();
}

function send(res: ServerResponse, json: string): void {
  if (!res.hasHeader('content-type')) res.setHeader('content-type', JSON_CONTENT_TYPE);
  res.setHeader('content-length', Buffer.byteLength(json));
  res.end(json);
}

/** Apollo Server's content type for a single JSON result (its MEDIA_TYPES.APPLICATION_JSON). */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
