import { NotificationErrors, streamTicketInvalid, tooManyStreams } from '../../src/domain/errors';

describe('the notification error catalog', () => {
  it('keeps the codes clients already know', () => {
    expect(NotificationErrors.codes).toEqual({
      STREAM_TICKET_INVALID: 'NOTIF_STREAM_TICKET_INVALID',
      TOO_MANY_STREAMS: 'NOTIF_TOO_MANY_STREAMS',
    });
    expect(NotificationErrors.entries.map((e) => [e.code, e.httpStatus])).toEqual([
      ['NOTIF_STREAM_TICKET_INVALID', 401],
      ['NOTIF_TOO_MANY_STREAMS', 429],
    ]);
  });

  it('builds its errors with their details', () => {
    expect(streamTicketInvalid()).toMatchObject({
      code: 'NOTIF_STREAM_TICKET_INVALID',
      details: { reason: 'invalid' },
    });
    expect(tooManyStreams(10)).toMatchObject({ kind: 'TOO_MANY_REQUESTS', details: { max: 10 } });
  });
});
