import { addressKey, clientKey } from '../../src/client';

describe('clientKey', () => {
  it('is the user id with a verified caller, the address otherwise', () => {
    const auth = { userId: 'u1', roles: [], residence: null, isMinor: false, entrances: [], token: 't' };
    expect(clientKey(auth, '203.0.113.1')).toBe('user:u1');
    expect(clientKey(null, '203.0.113.1')).toBe('ip:203.0.113.1');
    expect(clientKey(null, undefined)).toBe('ip:unknown');
  });
});

describe('addressKey', () => {
  it('keeps IPv4 and unwraps IPv4-mapped IPv6', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts IPv6 by its /64 network, however it is written', () => {
    const key = '2001:db8:1:2::/64';
    expect(addressKey('2001:db8:1:2::1')).toBe(key);
    expect(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe(key);
    expect(addressKey('2001:db8:1:2:a:b:c:d%eth0')).toBe(key);
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('64:ff9b::203.0.113.7')).toBe('64:ff9b:0:0::/64');
    expect(addressKey('::a:b:c:d:203.0.113.7')).toBe('0:0:a:b::/64'); // the IPv4 tail is two groups
  });
});
