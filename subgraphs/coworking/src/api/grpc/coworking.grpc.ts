import path from 'node:path';
import { LOADER_OPTIONS, toTimestamp } from '@campus/contracts';
import { grpcService, parseInput, requireCaller, type GrpcServiceBinding } from '@campus/platform';
import { loadSync, type MethodDefinition } from '@grpc/proto-loader';
import { releaseForCheckoutSchema, restoreForCheckoutSchema } from '../../schemas/catalogue';
import type { CoworkingServices } from '../../services';
import type { ReleasedBooking as Released } from '../../services/ports';

/** proto/ of this checkout: five levels above src/api/grpc/ (and dist/api/grpc/). */
const PROTO_ROOT = path.resolve(__dirname, '..', '..', '..', '..', '..', 'proto');

/** campus.coworking.v1 messages as proto-loader maps them (LOADER_OPTIONS: camelCase, longs as strings, defaults). */
interface Timestamp {
  seconds: string;
  nanos: number;
}

export interface ReleaseBookingsForCheckOutRequest {
  userId: string;
  checkoutId: string;
}

export interface ReleasedBooking {
  bookingId: string;
  coworkingId: string;
  previousStatus: string;
  status: string;
  startsAt: Timestamp;
  endsAt: Timestamp;
}

export interface ReleaseBookingsForCheckOutResponse {
  released: ReleasedBooking[];
}

export interface RestoreBookingsForCheckOutRequest {
  checkoutId: string;
}

export interface RestoreBookingsForCheckOutResponse {
  restored: ReleasedBooking[];
  notRestored: { booking: ReleasedBooking; reason: string }[];
}

/**
 * campus.coworking.v1.CoworkingService, typed here after proto/campus/coworking/v1/coworking.proto
 * (as duty does): the check-out orchestrator is its only caller so far.
 */
export type CoworkingServiceDefinition = {
  ReleaseBookingsForCheckOut: MethodDefinition<
    ReleaseBookingsForCheckOutRequest,
    ReleaseBookingsForCheckOutResponse,
    ReleaseBookingsForCheckOutRequest,
    ReleaseBookingsForCheckOutResponse
  >;
  RestoreBookingsForCheckOut: MethodDefinition<
    RestoreBookingsForCheckOutRequest,
    RestoreBookingsForCheckOutResponse,
    RestoreBookingsForCheckOutRequest,
    RestoreBookingsForCheckOutResponse
  >;
};

export const coworkingService = loadSync('campus/coworking/v1/coworking.proto', {
  ...LOADER_OPTIONS,
  includeDirs: [PROTO_ROOT],
})['campus.coworking.v1.CoworkingService'] as unknown as CoworkingServiceDefinition;

const toMessage = ({ booking, previousStatus }: Released): ReleasedBooking => ({
  bookingId: booking.id,
  coworkingId: booking.coworkingId,
  previousStatus,
  status: booking.status,
  startsAt: toTimestamp(booking.startsAt),
  endsAt: toTimestamp(booking.endsAt),
});

/** campus.coworking.v1.CoworkingService (proto/campus/coworking/v1/coworking.proto), for the check-out saga. */
export function coworkingGrpcService({ checkout }: CoworkingServices): GrpcServiceBinding {
  return grpcService(coworkingService, {
    ReleaseBookingsForCheckOut: async (request, call) => {
      requireCaller(call, 'checkout');
      const input = parseInput(
        releaseForCheckoutSchema,
        { userId: request.userId, checkoutId: request.checkoutId },
        'Invalid ReleaseBookingsForCheckOut request',
      );
      return { released: (await checkout.release(input)).map(toMessage) };
    },
    RestoreBookingsForCheckOut: async (request, call) => {
      requireCaller(call, 'checkout');
      const input = parseInput(
        restoreForCheckoutSchema,
        { checkoutId: request.checkoutId },
        'Invalid RestoreBookingsForCheckOut request',
      );
      const outcome = await checkout.restore(input);
      return {
        restored: outcome.restored.map(toMessage),
        notRestored: outcome.notRestored.map((n) => ({ booking: toMessage(n), reason: n.reason })),
      };
    },
  });
}
