import {
  CampusClient,
  CampusError,
  LoginDocument,
  MeDocument,
  StudentHomeDocument,
  parseServerSentEvents,
  requestBody,
  type ServerSentEvent,
} from '../../src';
import manifest from '../../persisted-operations.json';

async function* chunks(...parts: string[]): AsyncGenerator<string> {
  for (const part of parts) yield part;
}

async function collect(source: AsyncIterable<ServerSentEvent>): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of source) events.push(event);
  return events;
}

describe('requestBody', () => {
  it('sends a trusted document by the id the manifest holds it under', () => {
    const body = requestBody(StudentHomeDocument, { applications: 3 }, 'persisted');
    expect(body).toEqual({
      documentId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      operationName: 'StudentHome',
      variables: { applications: 3 },
    });
    expect((manifest as Record<string, string>)[body.documentId!]).toMatch(/^fragment .* query StudentHome\(/);
  });

  it('sends the full text in document mode, without empty variables', () => {
    const body = requestBody(MeDocument, {}, 'document');
    expect(body.documentId).toBeUndefined();
    expect(body.operationName).toBe('Me');
    expect(body.query).toMatch(/^query Me \{/);
    expect(body).not.toHaveProperty('variables');
  });
});

describe('CampusClient', () => {
  const answers: Array<{ status: number; body: unknown }> = [];
  const sent: Array<Record<string, unknown>> = [];
  const fakeFetch: typeof fetch = async (_url, init) => {
    sent.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
    const next = answers.shift() ?? { status: 500, body: {} };
    return new Response(JSON.stringify(next.body), { status: next.status });
  };
  beforeEach(() => {
    answers.length = 0;
    sent.length = 0;
  });

  it('sends the full document once the router says it does not know the id, and keeps doing so', async () => {
    const client = new CampusClient({ url: 'http://router.test/', fetch: fakeFetch });
    answers.push(
      { status: 404, body: { errors: [{ message: 'unknown', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] } },
      { status: 200, body: { data: { me: null } } },
      { status: 200, body: { data: { me: null } } },
    );
    await expect(client.request(MeDocument)).resolves.toEqual({ me: null });
    await client.request(MeDocument);
    expect(sent.map((b) => ('documentId' in b ? 'id' : 'text'))).toEqual(['id', 'text', 'text']);
  });

  it('throws the first error as a CampusError with code, details, status and trace id', async () => {
    const client = new CampusClient({ url: 'http://router.test', fetch: fakeFetch });
    answers.push({
      status: 400,
      body: {
        errors: [
          {
            message: 'Only trusted documents run here',
            extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED', details: { documentId: null }, traceId: 't-1' },
          },
        ],
      },
    });
    const error = await client.request(MeDocument).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CampusError);
    expect(error).toMatchObject({
      code: 'PERSISTED_QUERY_NOT_ALLOWED',
      status: 400,
      details: { documentId: null },
      traceId: 't-1',
    });
  });

  it('keeps the access token of a sign-in for the next requests', async () => {
    const headers: Array<Record<string, string>> = [];
    const client = new CampusClient({
      url: 'http://router.test',
      fetch: async (url, init) => {
        headers.push(init?.headers as Record<string, string>);
        return fakeFetch(url, init);
      },
    });
    answers.push(
      {
        status: 200,
        body: {
          data: {
            login: {
              accessToken: 'a-1',
              refreshToken: 'r',
              expiresAt: 'x',
              user: { id: 'u', fullName: 'F', roles: [] },
            },
          },
        },
      },
      { status: 200, body: { data: { me: null } } },
    );
    await client.signIn('s@sirius.local', 'pw');
    await client.request(MeDocument);
    expect(headers[0]?.authorization).toBeUndefined();
    expect(headers[1]?.authorization).toBe('Bearer a-1');
    expect(sent[0]).toMatchObject({ operationName: 'Login', variables: { email: 's@sirius.local', password: 'pw' } });
    expect(requestBody(LoginDocument, { email: 'e', password: 'p' }, 'persisted').documentId).toBe(sent[0]?.documentId);
  });

  it('turns a plain HTTP refusal (rate limit) into a CampusError', async () => {
    const client = new CampusClient({ url: 'http://router.test', fetch: fakeFetch });
    answers.push({
      status: 429,
      body: { error_code: 'RATE_LIMITED', message: 'Too many requests', details: { retryAfterSeconds: 7 } },
    });
    await expect(client.request(MeDocument)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      details: { retryAfterSeconds: 7 },
    });
  });
});

describe('parseServerSentEvents', () => {
  it('reads the notification stream as the service writes it, whatever the chunking', async () => {
    const stream =
      'retry: 3000\n\n' +
      'id: n-1\nevent: notification\ndata: {"id":"n-1","key":"leave.approved"}\n\n' +
      ': heartbeat\n\n' +
      'event: expired\ndata: {"reason":"credentials expired"}\n\n';
    const expected = [
      { event: 'notification', id: 'n-1', data: '{"id":"n-1","key":"leave.approved"}' },
      { event: 'expired', data: '{"reason":"credentials expired"}' },
    ];
    expect(await collect(parseServerSentEvents(chunks(stream)))).toEqual(expected);
    const pieces = stream.match(/[\s\S]{1,7}/g)!;
    expect(await collect(parseServerSentEvents(chunks(...pieces)))).toEqual(expected);
  });

  it('joins multi-line data, accepts CRLF split across chunks and names unnamed events "message"', async () => {
    const events = await collect(parseServerSentEvents(chunks('data: a\r', '\ndata: b\r\n\r\n', 'data:c\n\n')));
    expect(events).toEqual([
      { event: 'message', data: 'a\nb' },
      { event: 'message', data: 'c' },
    ]);
  });
});
