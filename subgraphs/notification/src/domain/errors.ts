import { defineErrorCodes, type DomainError } from '@campus/platform';

/**
 * The codes only the notification service answers. Everything else it refuses with a shared code
 * (VALIDATION_ERROR, UNAUTHENTICATED, FORBIDDEN, METHOD_NOT_ALLOWED…).
 */
export const NotificationErrors = defineErrorCodes('NOTIF', {
  STREAM_TICKET_INVALID: {
    kind: 'UNAUTHENTICATED',
    description:
      'The stream ticket is unknown, already used or expired; ask for a new one (createNotificationStreamTicket).',
  },
  TOO_MANY_STREAMS: {
    kind: 'TOO_MANY_REQUESTS',
    description: 'The caller already holds as many live streams as allowed (details.max); close one to open another.',
  },
});

/** One answer for every ticket that does not open a stream, so a guess learns nothing. */
export const streamTicketInvalid = (): DomainError =>
  NotificationErrors.error('STREAM_TICKET_INVALID', 'The stream ticket is not valid or has expired', {
    reason: 'invalid',
  });

export const tooManyStreams = (max: number): DomainError =>
  NotificationErrors.error('TOO_MANY_STREAMS', 'Too many open notification streams', { max });
