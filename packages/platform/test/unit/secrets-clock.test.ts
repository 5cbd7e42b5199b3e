import { systemClock } from '../../src/clock';
import { secureToken, sha256Hex } from '../../src/secrets';

describe('secureToken', () => {
  it('is 256 random bits in base64url by default, different every time', () => {
    const token = secureToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(secureToken()).not.toBe(token);
  });

  it('takes another number of bytes, but never fewer than 16', () => {
    expect(Buffer.from(secureToken(48), 'base64url')).toHaveLength(48);
    expect(() => secureToken(8)).toThrow(RangeError);
  });
});

describe('sha256Hex', () => {
  it('hashes strings and buffers alike, as lower-case hex', () => {
    const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(sha256Hex('abc')).toBe(abc);
    expect(sha256Hex(Buffer.from('abc'))).toBe(abc);
  });
});

describe('systemClock', () => {
  it('tells the current time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
