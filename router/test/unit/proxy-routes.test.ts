import { hasDotSegments, parseProxyRoutes } from '../../src/proxy';

describe('parseProxyRoutes', () => {
  it('is empty by default', () => {
    expect(parseProxyRoutes('')).toEqual([]);
    expect(parseProxyRoutes('  ,\n ')).toEqual([]);
  });

  it('parses subgraph and origin targets, with and without methods', () => {
    expect(
      parseProxyRoutes(
        '/uploads/leave -> leave GET|post, /notifications/stream/ -> notification GET;\n/files->http://127.0.0.1:9000',
      ),
    ).toEqual([
      { prefix: '/uploads/leave', target: 'leave', methods: ['GET', 'POST'] },
      { prefix: '/notifications/stream', target: 'notification', methods: ['GET'] },
      { prefix: '/files', target: 'http://127.0.0.1:9000', methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] },
    ]);
  });

  it('accepts "=" for "->" (the form scripts/start.ts and the e2e stack use)', () => {
    expect(parseProxyRoutes('/uploads/leave=http://127.0.0.1:4005,/notifications/stream=notification')).toEqual([
      {
        prefix: '/uploads/leave',
        target: 'http://127.0.0.1:4005',
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      },
      {
        prefix: '/notifications/stream',
        target: 'notification',
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      },
    ]);
  });

  it.each([
    ['uploads -> leave', /not a path prefix/],
    ['/uploads leave', /is not "<prefix> -> <subgraph\|url>/],
    ['/graphql/x -> leave', /overlaps the router's own \/graphql/],
    ['/health -> leave', /overlaps the router's own \/health/],
    ['/playground -> leave', /overlaps/],
    ['/a -> leave, /a/b -> patrol', /overlaps the route "\/a"/],
    ['/a -> Leave', /subgraph name or an http\(s\) origin/],
    ['/a -> http://host:1/path', /without a path/],
    ['/a -> ftp://host', /subgraph name or an http\(s\) origin/],
    ['/a -> leave TRACE', /unsupported method\(s\) TRACE/],
  ])('refuses %p', (text, message) => {
    expect(() => parseProxyRoutes(text)).toThrow(message);
  });
});

describe('hasDotSegments', () => {
  it.each([
    '/files/../graphql',
    '/files/./x',
    '/files/%2e%2e/metrics',
    '/files/%2E%2E%2Fhealth',
    '/files\\..\\x',
    '/files/%zz',
  ])('flags %p', (url) => expect(hasDotSegments(url)).toBe(true));

  it.each(['/files/report.pdf', '/files/a..b/c', '/files/x?next=../y'])('accepts %p', (url) =>
    expect(hasDotSegments(url)).toBe(false),
  );
});
