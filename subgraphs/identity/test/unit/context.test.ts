import { createLogger } from '@campus/platform';
import { contextFactory } from '../../src/api/graphql/context';
import { UNKNOWN_CLIENT } from '../../src/domain/throttle';
import type { IdentityServices } from '../../src/services';

// The per-client login throttle keys on the address the request names (x-campus-client from the
// router, else the first hop of x-forwarded-for); the context reads it from the request's headers.
const context = contextFactory({} as IdentityServices);
const base = { auth: null, logger: createLogger('identity-test', 'silent'), requestId: 'r' };
const clientOf = (headers: Record<string, string | string[]>) => context(base, headers).client;

describe('identity context: the client address', () => {
  it("takes the router's x-campus-client first", () => {
    expect(clientOf({ 'x-campus-client': 'ip:10.0.0.7', 'x-forwarded-for': '192.0.2.1' })).toBe('ip:10.0.0.7');
  });

  it('else the first hop of x-forwarded-for, trimmed', () => {
    expect(clientOf({ 'x-forwarded-for': ' 192.0.2.1 , 10.0.0.1' })).toBe('192.0.2.1');
    expect(clientOf({ 'x-campus-client': '', 'x-forwarded-for': '192.0.2.2' })).toBe('192.0.2.2');
  });

  it('keeps at most 100 characters, and is unknown without either header', () => {
    expect(clientOf({ 'x-campus-client': 'x'.repeat(300) })).toHaveLength(100);
    expect(clientOf({})).toBe(UNKNOWN_CLIENT);
  });
});
