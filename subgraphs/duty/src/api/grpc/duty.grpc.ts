import path from 'node:path';
import { LOADER_OPTIONS, toTimestamp } from '@campus/contracts';
import { grpcService, type GrpcServiceBinding } from '@campus/platform';
import { loadSync, type MethodDefinition } from '@grpc/proto-loader';
import { parseRoomDutiesRequest } from '../../schemas/schedules';
import type { DutyServices } from '../../services';

/** proto/ of this checkout: five levels above src/api/grpc/ (and dist/api/grpc/). */
const PROTO_ROOT = path.resolve(__dirname, '..', '..', '..', '..', '..', 'proto');

/** campus.duty.v1 messages as proto-loader maps them (LOADER_OPTIONS: camelCase, longs as strings, defaults). */
export interface ListRoomDutiesRequest {
  roomId: string;
  from: string;
  to: string;
}

interface Timestamp {
  seconds: string;
  nanos: number;
}

export interface RoomDuty {
  scheduleId: string;
  roomId: string;
  building: string;
  entrance: number;
  floor: number;
  roomNumber: string;
  dutyDate: string;
  /** pending, report_submitted, accepted or overdue. */
  status: string;
  deadlineAt: Timestamp;
}

export interface ListRoomDutiesResponse {
  duties: RoomDuty[];
}

/**
 * campus.duty.v1.DutyService, typed here after proto/campus/duty/v1/duty.proto:
 * packages/contracts exports the definitions of the services registered there (`leaveService`…),
 * and this one loads its own with the same loader options until it is registered.
 */
export type DutyServiceDefinition = {
  ListRoomDuties: MethodDefinition<
    Partial<ListRoomDutiesRequest>,
    ListRoomDutiesResponse,
    ListRoomDutiesRequest,
    ListRoomDutiesResponse
  >;
};

export const dutyService = loadSync('campus/duty/v1/duty.proto', {
  ...LOADER_OPTIONS,
  includeDirs: [PROTO_ROOT],
})['campus.duty.v1.DutyService'] as unknown as DutyServiceDefinition;

/**
 * campus.duty.v1.DutyService (proto/campus/duty/v1/duty.proto), for other services (check-out asks
 * for a room's open duties). Callers are services holding the service secret: no user scope.
 */
export function dutyGrpcService({ schedules }: DutyServices): GrpcServiceBinding {
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
  });
}
