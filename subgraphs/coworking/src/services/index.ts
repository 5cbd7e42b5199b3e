import type { Clock } from '@campus/platform';
import type { CoworkingBoard } from './board.service';
import type { CoworkingBookings } from './bookings.service';
import type { CoworkingCatalogue } from './catalogue.service';
import type { CheckoutParticipant } from './checkout-participant.service';

/**
 * The coworking service's use cases, built once by the composition root (app.ts) and handed to every
 * transport: GraphQL (as `ctx.services`) and gRPC. One member per topic service.
 */
export interface CoworkingServices {
  /** The catalogue: create/update coworkings, list them with free windows and busy slots. */
  catalogue: CoworkingCatalogue;
  /** Reading bookings: one booking, the live board, the history, a user's bookings. */
  board: CoworkingBoard;
  /** The check-out saga participant: release and restore a student's bookings (gRPC). */
  checkout: CheckoutParticipant;
  /** The booking lifecycle: request, decide, hand the key over and back, complete, cancel. */
  bookings: CoworkingBookings;
  /** "Now" for what transports compute. */
  clock: Clock;
}
