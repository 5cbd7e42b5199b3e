import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';
import type { AuthContext } from '@campus/platform';
import proxyaddr from 'proxy-addr';

/** Whose X-Forwarded-For to believe: Express's compiled TRUST_PROXY (its 'trust proxy fn' setting). */
export type ProxyTrust = (address: string, hop: number) => boolean;

/**
 * The caller's address exactly as Express's req.ip derives it (proxy-addr with the same compiled
 * trust), for every path: the GraphQL POST path answers without Express.
 */
export const addressOf =
  (trust: ProxyTrust) =>
  (req: IncomingMessage): string | undefined =>
    proxyaddr(req, trust);

/**
 * Who a request counts against in the rate limits. A caller with a valid token is their user id:
 * many people share one address (the campus NAT, a dormitory's Wi-Fi), and one user must not use
 * up everybody's allowance. Everyone else is their address (addressOf, honouring TRUST_PROXY):
 * an invalid token names nobody, since only a verified id can be trusted, so a caller
 * cannot pick a fresh key by sending made-up tokens.
 */
export function clientKey(auth: AuthContext | null, ip: string | undefined): string {
  return auth ? `user:${auth.userId}` : `ip:${addressKey(ip ?? 'unknown')}`;
}

/**
 * An IPv4 address as is; an IPv6 address by its /64 network, which one host or subscriber gets
 * whole (counting single IPv6 addresses would let a client rotate through 2^64 of them).
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(ip)) return ip;
  return `${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
}

/** An embedded IPv4 tail ("::ffff:1.2.3.4", "64:ff9b::1.2.3.4") as its two 16-bit groups. */
function hexGroups(part: string): string[] {
  return part.split(':').flatMap((group) => {
    if (!group.includes('.')) return [group];
    const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
    return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
  });
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped), without leading zeros. */
function expandIPv6(ip: string): string[] {
  const [head = '', tail] = (ip.split('%')[0] ?? '').split('::');
  const groups = (part: string | undefined) => (part ? hexGroups(part) : []);
  const left = groups(head);
  const right = groups(tail);
  const middle = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((g) => (parseInt(g, 16) || 0).toString(16));
}
