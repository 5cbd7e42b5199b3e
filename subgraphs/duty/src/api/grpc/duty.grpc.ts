import { dutyService, toTimestamp } from '@campus/contracts';
import { grpcService, parseInput, requireCaller, type GrpcServiceBinding } from '@campus/platform';
import { closeSanctionsForCheckoutSchema, reopenSanctionsForCheckoutSchema } from '../../schemas/checkout';
import { parseRoomDutiesRequest } from '../../schemas/schedules';
import type { DutyServices } from '../../services';

/**
 * campus.duty.v1.DutyService (proto/campus/duty/v1/duty.proto), for other services. ListRoomDuties
 * is for any service holding the service secret (check-out asks for a room's open duties; no user
 * scope); the check-out saga's steps are for the checkout service only (PERMISSION_DENIED for others).
 */
export function dutyGrpcService({ schedules, checkout }: DutyServices): GrpcServiceBinding {
  return grpcService(dutyService, {
    ListRoomDuties: async (request) => {
      const { roomId, from, to } = parseRoomDutiesRequest(request);
      const duties = (await schedules.schedulesOfRooms([roomId], from, to)).get(roomId) ?? [];
      return {
        duties: duties.map((d) => ({
          scheduleId: d.id,
          roomId: d.room.roomId,
          building: d.room.building,
          entrance: d.room.entrance,
          floor: d.room.floor,
          roomNumber: d.room.number,
          dutyDate: d.dutyDate,
          status: d.status,
          deadlineAt: toTimestamp(d.deadlineAt),
        })),
      };
    },
    CloseSanctionsForCheckOut: async (request, call) => {
      requireCaller(call, 'checkout');
      const input = parseInput(
        closeSanctionsForCheckoutSchema,
        { userId: request.userId, checkoutId: request.checkoutId },
        'Invalid CloseSanctionsForCheckOut request',
      );
      return { sanctionIds: await checkout.close(input) };
    },
    ReopenSanctionsForCheckOut: async (request, call) => {
      requireCaller(call, 'checkout');
      const input = parseInput(
        reopenSanctionsForCheckoutSchema,
        { checkoutId: request.checkoutId },
        'Invalid ReopenSanctionsForCheckOut request',
      );
      return { sanctionIds: await checkout.reopen(input) };
    },
  });
}
