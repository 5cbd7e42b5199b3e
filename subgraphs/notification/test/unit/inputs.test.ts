// What the transports refuse before a service is called (GraphQL arguments, gRPC requests, the
// stream's query string and Last-Event-ID).
import { randomUUID } from 'node:crypto';
import { DomainError, parseInput, secureToken } from '@campus/platform';
import { NotificationErrors } from '../../src/domain/errors';
import {
  listArgsSchema,
  markReadArgsSchema,
  parseLastEventId,
  parseStreamTicket,
  userIdSchema,
} from '../../src/schemas/inputs';

function codeOf(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('inputs', () => {
  it('a user id named by an internal caller must be a UUID', () => {
    expect(codeOf(() => parseInput(userIdSchema, '42', 'Invalid user id'))).toBe('VALIDATION_ERROR');
    const id = randomUUID();
    expect(parseInput(userIdSchema, id)).toBe(id);
  });

  it('marking read takes 1 to 100 notification ids', () => {
    expect(codeOf(() => parseInput(markReadArgsSchema, { ids: [] }))).toBe('VALIDATION_ERROR');
    expect(codeOf(() => parseInput(markReadArgsSchema, { ids: ['nope'] }))).toBe('VALIDATION_ERROR');
    expect(codeOf(() => parseInput(markReadArgsSchema, { ids: Array.from({ length: 101 }, () => randomUUID()) }))).toBe(
      'VALIDATION_ERROR',
    );
    const ids = Array.from({ length: 100 }, () => randomUUID());
    expect(parseInput(markReadArgsSchema, { ids })).toEqual({ ids });
  });

  it('list arguments are optional (the inbox applies the defaults and ranges)', () => {
    expect(parseInput(listArgsSchema, {})).toEqual({});
    expect(parseInput(listArgsSchema, { unreadOnly: true, page: 2, size: null })).toEqual({
      unreadOnly: true,
      page: 2,
      size: null,
    });
    expect(codeOf(() => parseInput(listArgsSchema, { page: 1.5 }))).toBe('VALIDATION_ERROR');
  });

  it('a stream ticket of the wrong shape is refused as invalid without a lookup', () => {
    const invalid = NotificationErrors.codes.STREAM_TICKET_INVALID;
    expect(codeOf(() => parseStreamTicket('x'))).toBe(invalid);
    expect(codeOf(() => parseStreamTicket(`${'A'.repeat(42)}!`))).toBe(invalid);
    const ticket = secureToken();
    expect(parseStreamTicket(ticket)).toBe(ticket);
  });

  it('a Last-Event-ID that cannot name a notification means nothing to catch up', () => {
    const id = randomUUID();
    expect(parseLastEventId(id)).toBe(id);
    expect(parseLastEventId('garbage')).toBeUndefined();
    expect(parseLastEventId(undefined)).toBeUndefined();
  });
});
