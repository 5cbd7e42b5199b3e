import { defineErrorCodes, type DomainError } from '@campus/platform';

/**
 * The codes only the notification service answers. Everything else it refuses with a shared code
 * (VALIDATION_ERROR, UNAUTHENTICATED, FORBIDDEN, METHOD_NOT_ALLOWED…).
 */
export const NotificationErrors = defineErrorCodes('NOTIF', {
  STREAM_TICKET_INVALID: {
    kind: 'UNAUTHENTICATED',
    description:
      'The stream ticket is unknown or already used, expired, or not a ticket at all (details.reason: unknown, expired, invalid); ask for a new one (createNotificationStreamTicket).',
  },
  TOO_MANY_STREAMS: {
    kind: 'TOO_MANY_REQUESTS',
    description: 'The caller already holds as many live streams as allowed (details.max); close one to open another.',
  },
});

/**
 * Why a ticket does not open a stream: not shaped like a ticket (invalid), not stored (unknown:
 * never issued, or used already), or past its lifetime or its token's (expired). A guess learns
 * nothing from it: every guess is unknown.
 */
export type StreamTicketRefusal = 'invalid' | 'unknown' | 'expired';

export const streamTicketInvalid = (reason: StreamTicketRefusal = 'invalid'): DomainError =>
  NotificationErrors.error(
    'STREAM_TICKET_INVALID',
    reason === 'expired' ? 'The stream ticket has expired' : 'The stream ticket is not valid',
    { reason },
  );

export const tooManyStreams = (max: number): DomainError =>
  NotificationErrors.error('TOO_MANY_STREAMS', 'Too many open notification streams', { max });
