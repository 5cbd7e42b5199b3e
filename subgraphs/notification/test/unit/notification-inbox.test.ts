import { randomUUID } from 'node:crypto';
import { DomainError, type AuthContext } from '@campus/platform';
import { TestClock } from '@campus/testkit';
import { NotificationErrors } from '../../src/domain/errors';
import { MAX_REPLAYED, NotificationInbox } from '../../src/services/inbox.service';
import { MemoryStore } from '../support/fakes';

const STREAM_TICKET_INVALID = NotificationErrors.codes.STREAM_TICKET_INVALID;

const auth = (userId = randomUUID()): AuthContext => ({
  userId,
  roles: ['student'],
  residence: null,
  isMinor: false,
  entrances: [],
  token: 't',
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected a DomainError');
}

function setup(now = new Date('2026-11-25T12:00:00Z')) {
  const store = new MemoryStore();
  const clock = new TestClock(now);
  const inbox = new NotificationInbox({ store, ticketTtlSeconds: 60, clock });
  const seed = async (userId: string, n: number) => {
    for (let i = 0; i < n; i++) {
      await store.recordEvent('notification', randomUUID(), [
        { userId, key: 'leave.approved', title: `t${i}`, body: 'b', data: {} },
      ]);
    }
    return store.notifications.filter((x) => x.userId === userId);
  };
  return { store, inbox, seed, advance: (ms: number) => clock.advance(ms) };
}

describe('reading one’s notifications', () => {
  it('pages newest first and counts unread', async () => {
    const { inbox, seed } = setup();
    const me = auth();
    await seed(me.userId, 5);
    await seed(randomUUID(), 2);
    const page = await inbox.mine(me, { page: 2, size: 2 });
    expect(page).toMatchObject({ total: 5, page: 2, size: 2, pages: 3 });
    expect(page.items.map((n) => n.title)).toEqual(['t2', 't1']);
    expect(await inbox.unreadCount(me)).toBe(5);
  });

  it('requires a signed-in caller and valid paging', async () => {
    const { inbox } = setup();
    expect(await codeOf(inbox.mine(null, {}))).toBe('UNAUTHENTICATED');
    expect(await codeOf(inbox.unreadCount(null))).toBe('UNAUTHENTICATED');
    expect(await codeOf(inbox.mine(auth(), { size: 101 }))).toBe('VALIDATION_ERROR');
    expect(await codeOf(inbox.mine(auth(), { page: 0 }))).toBe('VALIDATION_ERROR');
  });

  it('User.notifications: only the user themself', async () => {
    const { inbox, seed } = setup();
    const me = auth();
    await seed(me.userId, 1);
    expect((await inbox.ofUser(me, me.userId, {})).total).toBe(1);
    expect(await codeOf(inbox.ofUser(auth(), me.userId, {}))).toBe('FORBIDDEN');
    expect(await codeOf(inbox.ofUser(null, me.userId, {}))).toBe('UNAUTHENTICATED');
  });

  // That the id must be a UUID is the transport's check (test/unit/inputs.test.ts).
  it('internal callers name the user', async () => {
    const { inbox, seed } = setup();
    const id = randomUUID();
    await seed(id, 3);
    expect(await inbox.unreadCountFor(id)).toBe(3);
    expect((await inbox.pageFor(id, { unreadOnly: true })).total).toBe(3);
  });
});

describe('marking read', () => {
  it('marks only the caller’s own unread notifications and reports the rest', async () => {
    const { inbox, seed, store } = setup();
    const me = auth();
    const [a, b] = await seed(me.userId, 3);
    const [foreign] = await seed(randomUUID(), 1);
    const result = await inbox.markRead(me, { ids: [a!.id, a!.id, b!.id, foreign!.id, randomUUID()] });
    expect(result).toEqual({ markedCount: 2, unreadCount: 1 });
    expect(store.notifications.find((n) => n.id === foreign!.id)!.readAt).toBeNull();
    expect((await inbox.markRead(me, { ids: [a!.id] })).markedCount).toBe(0); // already read
    expect((await inbox.mine(me, { unreadOnly: true })).total).toBe(1);
  });

  // The ids themselves are validated by the transport (test/unit/inputs.test.ts).
  it('requires a signed-in caller', async () => {
    const { inbox } = setup();
    expect(await codeOf(inbox.markRead(null, { ids: [randomUUID()] }))).toBe('UNAUTHENTICATED');
  });

  it('marks everything read', async () => {
    const { inbox, seed } = setup();
    const me = auth();
    await seed(me.userId, 4);
    expect(await inbox.markAllRead(me)).toEqual({ markedCount: 4, unreadCount: 0 });
    expect(await inbox.unreadCount(me)).toBe(0);
    expect(await codeOf(inbox.markAllRead(null))).toBe('UNAUTHENTICATED');
  });
});

describe('stream tickets', () => {
  it('open the stream once, for the user they were issued to', async () => {
    const { inbox, store } = setup();
    const me = auth();
    const ticket = await inbox.createStreamTicket(me);
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect([...store.tickets.keys()][0]).not.toContain(ticket); // only a hash is stored
    expect(await inbox.redeemStreamTicket(ticket)).toBe(me.userId);
    expect(await codeOf(inbox.redeemStreamTicket(ticket))).toBe(STREAM_TICKET_INVALID);
  });

  it('expire', async () => {
    const { inbox, advance } = setup();
    const ticket = await inbox.createStreamTicket(auth());
    advance(60_000);
    expect(await codeOf(inbox.redeemStreamTicket(ticket))).toBe(STREAM_TICKET_INVALID);
  });

  it('say why they do not open a stream (details.reason), under one code', async () => {
    const { inbox, advance } = setup();
    const reason = (promise: Promise<unknown>) =>
      promise.then(
        () => 'opened',
        (e: { code: string; details: { reason: string } }) => `${e.code}:${e.details.reason}`,
      );
    const used = await inbox.createStreamTicket(auth());
    await inbox.redeemStreamTicket(used);
    expect(await reason(inbox.redeemStreamTicket(used))).toBe(`${STREAM_TICKET_INVALID}:used`);
    expect(await reason(inbox.redeemStreamTicket('A'.repeat(43)))).toBe(`${STREAM_TICKET_INVALID}:unknown`);
    const late = await inbox.createStreamTicket(auth());
    advance(60_000);
    expect(await reason(inbox.redeemStreamTicket(late))).toBe(`${STREAM_TICKET_INVALID}:expired`);
  });

  it('keep the expiry of the token that created them: the stream ends then', async () => {
    const { inbox, advance } = setup();
    const tokenExpiresAt = new Date('2026-11-25T12:05:00Z');
    const ticket = await inbox.createStreamTicket({ ...auth(), expiresAt: tokenExpiresAt });
    expect(await inbox.streamTicketHolder(ticket)).toMatchObject({ credentialsExpireAt: tokenExpiresAt });

    // a token about to expire: its ticket expires with it, before the ticket's own 60 s
    const shortLived = await inbox.createStreamTicket({ ...auth(), expiresAt: new Date('2026-11-25T12:00:10Z') });
    advance(10_000);
    await expect(inbox.streamTicketHolder(shortLived)).rejects.toMatchObject({ details: { reason: 'expired' } });
  });

  it('refuse garbage and anonymous callers', async () => {
    const { inbox } = setup();
    expect(await codeOf(inbox.redeemStreamTicket('x'))).toBe(STREAM_TICKET_INVALID);
    expect(await codeOf(inbox.redeemStreamTicket('A'.repeat(43)))).toBe(STREAM_TICKET_INVALID);
    expect(await codeOf(inbox.createStreamTicket(null))).toBe('UNAUTHENTICATED');
  });
});

describe('catching up a reconnecting stream', () => {
  it('returns what came after the last event id, oldest first', async () => {
    const { inbox, seed } = setup();
    const me = auth();
    const mine = await seed(me.userId, 4);
    const missed = await inbox.missedSince(me.userId, mine[1]!.id);
    expect(missed.map((n) => n.id)).toEqual([mine[2]!.id, mine[3]!.id]);
  });

  it('returns nothing without a usable id', async () => {
    const { inbox, seed } = setup();
    const me = auth();
    const [foreign] = await seed(randomUUID(), 1);
    expect(await inbox.missedSince(me.userId, undefined)).toEqual([]);
    expect(await inbox.missedSince(me.userId, 'garbage')).toEqual([]);
    expect(await inbox.missedSince(me.userId, foreign!.id)).toEqual([]);
    expect(MAX_REPLAYED).toBe(100);
  });
});
