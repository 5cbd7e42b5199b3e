import type { DomainError } from '@campus/platform';
import { FileLinks } from '../../src/services/file-links.service';

const DOC = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
const NOW = new Date('2026-03-01T10:00:00.000Z');
const links = new FileLinks('a-test-secret-that-is-long-enough-123456', 'http://router.test:4000/', 300_000);

const tokenOf = (url: string) => url.split('/files/leave/')[1]!;
const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a failure');
};

describe('FileLinks', () => {
  test('a link on the router names the document and expires after the TTL', () => {
    const { url, expiresAt } = links.downloadUrl(DOC, NOW);
    expect(url).toMatch(new RegExp(`^http://router.test:4000/files/leave/${DOC}\\.\\d+\\.[A-Za-z0-9_-]{43}$`));
    expect(expiresAt).toEqual(new Date(NOW.getTime() + 300_000));
    expect(links.verify(tokenOf(url), NOW)).toBe(DOC);
    expect(links.verify(tokenOf(url), new Date(expiresAt.getTime() - 1))).toBe(DOC);
  });

  test('an expired link is refused', () => {
    const { url, expiresAt } = links.downloadUrl(DOC, NOW);
    const error = failure(() => links.verify(tokenOf(url), expiresAt));
    expect(error).toMatchObject({ code: 'LEAVE_FILE_LINK_INVALID', kind: 'FORBIDDEN', details: { reason: 'expired' } });
  });

  test('altered, foreign or malformed links are refused', () => {
    const token = tokenOf(links.downloadUrl(DOC, NOW).url);
    const [doc, expires, signature] = token.split('.');
    const otherDoc = '1a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
    const later = String(Number(expires) + 3600);
    const foreign = new FileLinks('another-secret-that-is-long-enough-654321', 'http://x', 300_000);
    for (const bad of [
      `${otherDoc}.${expires}.${signature}`,
      `${doc}.${later}.${signature}`,
      tokenOf(foreign.downloadUrl(DOC, NOW).url),
      'not-a-token',
      `${doc}.${expires}.short`,
    ]) {
      expect(failure(() => links.verify(bad, NOW))).toMatchObject({
        code: 'LEAVE_FILE_LINK_INVALID',
        details: { reason: 'invalid' },
      });
    }
  });
});
