import { defineErrorCodes, type DomainError } from '@campus/platform';

/**
 * The codes only the notification service answers. Everything else it refuses with a shared code
 * (VALIDATION_ERROR, UNAUTHENTICATED, FORBIDDEN, METHOD_NOT_ALLOWED…).
 */
export const NotificationErrors = defineErrorCodes('NOTIF', {
  STREAM_TICKET_INVALID: {
    kind: 'UNAUTHENTICATED',
    description:
      'The stream ticket was never issued, is already used, expired, or is not a ticket at all (details.reason: unknown, used, expired, invalid); ask for a new one (createNotificationStreamTicket).',
  },
  TOO_MANY_STREAMS: {
    kind: 'TOO_MANY_REQUESTS',
    description: 'The caller already holds as many live streams as allowed (details.max); close one to open another.',
  },
});

/**
 * Why a ticket does not open a stream: not shaped like a ticket (invalid), never issued (unknown),
 * redeemed before (used), or past its lifetime or its token's (expired). A guess learns nothing
 * from it: every guess is unknown; only the holder of a real ticket can hear `used`.
 */
export type StreamTicketRefusal = 'invalid' | 'unknown' | 'used' | 'expired';

export const streamTicketInvalid = (reason: StreamTicketRefusal = 'invalid'): DomainError =>
  NotificationErrors.error(
    'STREAM_TICKET_INVALID',
    reason === 'expired'
      ? 'The stream ticket has expired'
      : reason === 'used'
        ? 'The stream ticket has already been used'
        : 'The stream ticket is not valid',
    { reason },
  );

export const tooManyStreams = (max: number): DomainError =>
  NotificationErrors.error('TOO_MANY_STREAMS', 'Too many open notification streams', { max });
