import { CampusError, fromGraphQLError, fromHttpErrorBody, type GraphQLErrorShape } from './errors';
import {
  CreateNotificationStreamTicketDocument,
  LoginDocument,
  type LoginMutation,
  type NotificationFieldsFragment,
  type TypedDocumentString,
} from './gql/graphql';
import { parseServerSentEvents, textChunks } from './sse';

/**
 * How a document travels:
 * - `persisted` (default): only its hash (`documentId`, from the generated manifest), the full text
 *   only if the router answers PERSISTED_QUERY_NOT_FOUND (a router without the manifest). A router
 *   with ONLY_PERSISTED_OPERATIONS=true runs nothing else.
 * - `document`: always the full text.
 */
export type DocumentTransport = 'persisted' | 'document';

export interface CampusClientOptions {
  /** The router's origin, e.g. http://localhost:4000 (GraphQL at /graphql, the stream at /notifications/stream). */
  url: string;
  send?: DocumentTransport;
  /** An access token from an earlier sign-in; signIn() sets it too. */
  accessToken?: string;
  /** Extra headers for every request (e.g. a client name). */
  headers?: Record<string, string>;
  /** Another fetch (tests, React Native polyfills); default: the global one. */
  fetch?: typeof fetch;
}

/** A GraphQL answer as the router sends it. */
export interface GraphQLResult<TResult> {
  data?: TResult | null;
  errors?: GraphQLErrorShape[];
  /** The HTTP status of the answer. */
  status: number;
}

/** The JSON body of a GraphQL POST. */
export interface GraphQLRequestBody {
  query?: string;
  documentId?: string;
  operationName?: string;
  variables?: Record<string, unknown>;
}

/** Variables are optional when the operation has none or only optional ones. */
export type VariablesArgument<TVariables> =
  Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

export type Session = LoginMutation['login'];

export type NotificationStreamEvent =
  | { type: 'notification'; id: string; notification: NotificationFieldsFragment }
  /** The stream's credentials expired: it ends; open a new one with fresh credentials (and lastEventId). */
  | { type: 'expired'; reason: string };

export interface NotificationStreamOptions {
  /**
   * `token` (default): the access token in the Authorization header. `ticket`: a single-use ticket
   * from createNotificationStreamTicket in the URL, as a browser's EventSource must.
   */
  auth?: 'token' | 'ticket';
  /** The id of the last notification received: the ones missed since come first. */
  lastEventId?: string;
  /** Aborting it closes the stream. */
  signal?: AbortSignal;
  /** Called once the stream is open: from then on no notification is missed (show a "live" badge). */
  onOpen?: () => void;
}

/** A generated document: its text, and the metadata the client preset embedded. */
export interface GeneratedDocument {
  __meta__?: Record<string, unknown> | undefined;
  toString(): string;
}

/** The hash the client preset embedded (persistedDocuments), the key of the router's allow-list. */
export function documentHash(document: GeneratedDocument): string | undefined {
  const hash: unknown = document.__meta__?.hash;
  return typeof hash === 'string' ? hash : undefined;
}

/** The name of the document's operation (its first one: generated documents hold one, plus fragments). */
export function operationNameOf(document: GeneratedDocument): string | undefined {
  return /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(document.toString())?.[1];
}

/** What is POSTed for a document: its hash or its full text, the operation name and the variables. */
export function requestBody<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables | undefined,
  send: DocumentTransport,
): GraphQLRequestBody {
  const hash = documentHash(document);
  const operationName = operationNameOf(document);
  return {
    ...(send === 'persisted' && hash ? { documentId: hash } : { query: document.toString().trim() }),
    ...(operationName ? { operationName } : {}),
    ...(variables && Object.keys(variables).length ? { variables: variables as Record<string, unknown> } : {}),
  };
}

const PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND';

/**
 * The Campus Sirius graph for an app: typed operations (the generated `…Document`s), sign-in, file
 * uploads and the live notification stream, over fetch only (Node 20+, browsers, React Native).
 */
export class CampusClient {
  accessToken: string | undefined;
  private readonly origin: string;
  private readonly send: DocumentTransport;
  private readonly headers: Record<string, string>;
  private readonly fetch: typeof fetch;
  /** Hashes this router did not know: sent in full from then on. */
  private readonly unknownHashes = new Set<string>();

  constructor(options: CampusClientOptions) {
    this.origin = options.url.replace(/\/+$/, '');
    this.send = options.send ?? 'persisted';
    this.accessToken = options.accessToken;
    this.headers = options.headers ?? {};
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** Runs an operation and returns the answer as it is, errors included. */
  async execute<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    ...[variables]: VariablesArgument<TVariables>
  ): Promise<GraphQLResult<TResult>> {
    const hash = documentHash(document);
    const send = hash && this.unknownHashes.has(hash) ? 'document' : this.send;
    const result = await this.post<TResult>(requestBody(document, variables, send));
    if (send === 'persisted' && hash && result.errors?.some((e) => e.extensions?.code === PERSISTED_QUERY_NOT_FOUND)) {
      this.unknownHashes.add(hash);
      return this.post<TResult>(requestBody(document, variables, 'document'));
    }
    return result;
  }

  /** Runs an operation and returns its data; any error is thrown as a CampusError. */
  async request<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    ...variables: VariablesArgument<TVariables>
  ): Promise<TResult> {
    const result = await this.execute(document, ...variables);
    const [first] = result.errors ?? [];
    if (first) throw fromGraphQLError(first, result.status);
    if (!result.data) throw new CampusError('INTERNAL_ERROR', 'The router answered without data', result.status);
    return result.data;
  }

  /** Signs in; later requests carry the access token. */
  async signIn(email: string, password: string): Promise<Session> {
    const { login } = await this.request(LoginDocument, { email, password });
    this.accessToken = login.accessToken;
    return login;
  }

  /**
   * Sends a file's raw bytes to a single-use upload URL (requestLeaveDocumentUpload,
   * requestDutyPhotoUpload) and returns the service's JSON answer; a refusal is thrown as a CampusError.
   */
  async uploadFile(uploadUrl: string, bytes: Uint8Array | Blob, contentType?: string): Promise<unknown> {
    const res = await this.fetch(uploadUrl, {
      method: 'PUT',
      headers: { ...this.headers, ...(contentType ? { 'content-type': contentType } : {}) },
      body: bytes,
    });
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) throw fromHttpErrorBody(body, res.status, res.headers.get('x-trace-id') ?? undefined);
    return body;
  }

  /**
   * The signed-in user's live notifications (server-sent events): notifications as they happen,
   * then `expired` when the stream's credentials run out. Stop with `break` or the signal.
   */
  async *notifications(options: NotificationStreamOptions = {}): AsyncGenerator<NotificationStreamEvent> {
    const url = new URL(`${this.origin}/notifications/stream`);
    const headers: Record<string, string> = { ...this.headers, accept: 'text/event-stream' };
    if (options.auth === 'ticket') {
      const { createNotificationStreamTicket } = await this.request(CreateNotificationStreamTicketDocument);
      url.searchParams.set('ticket', createNotificationStreamTicket);
      if (options.lastEventId) url.searchParams.set('lastEventId', options.lastEventId);
    } else {
      if (this.accessToken) headers.authorization = `Bearer ${this.accessToken}`;
      if (options.lastEventId) headers['last-event-id'] = options.lastEventId;
    }
    const res = await this.fetch(url, { headers, ...(options.signal ? { signal: options.signal } : {}) });
    if (!res.ok || !res.body) {
      const body: unknown = await res.json().catch(() => undefined);
      throw fromHttpErrorBody(body, res.status, res.headers.get('x-trace-id') ?? undefined);
    }
    options.onOpen?.();
    try {
      for await (const event of parseServerSentEvents(textChunks(res.body))) {
        if (event.event === 'notification') {
          const notification = JSON.parse(event.data) as NotificationFieldsFragment;
          yield { type: 'notification', id: event.id ?? notification.id, notification };
        } else if (event.event === 'expired') {
          const { reason } = JSON.parse(event.data) as { reason?: string };
          yield { type: 'expired', reason: reason ?? 'expired' };
          return;
        }
      }
    } catch (error) {
      if (options.signal?.aborted) return; // closed on purpose
      throw error;
    }
  }

  private async post<TResult>(body: GraphQLRequestBody): Promise<GraphQLResult<TResult>> {
    const res = await this.fetch(`${this.origin}/graphql`, {
      method: 'POST',
      headers: {
        ...this.headers,
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(this.accessToken ? { authorization: `Bearer ${this.accessToken}` } : {}),
      },
      body: JSON.stringify(body),
    });
    const json: unknown = await res.json().catch(() => undefined);
    if (typeof json !== 'object' || json === null || !('data' in json || 'errors' in json)) {
      // Not a GraphQL answer: a refusal before GraphQL (rate limit, body too large) or a proxy's page.
      throw fromHttpErrorBody(json, res.status, res.headers.get('x-trace-id') ?? undefined);
    }
    return { ...(json as Omit<GraphQLResult<TResult>, 'status'>), status: res.status };
  }
}
