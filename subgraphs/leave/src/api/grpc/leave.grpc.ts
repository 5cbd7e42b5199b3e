import { fromTimestamp, leaveService, toTimestamp } from '@campus/contracts';
import { grpcService, parseInput, type GrpcServiceBinding } from '@campus/platform';
import { approvedLeavesRequestSchema } from '../../schemas/inputs';
import type { LeaveServices } from '../../services';

/** campus.leave.v1.LeaveService (proto/campus/leave/v1/leave.proto), used by patrols. */
export function leaveGrpcService({ queries }: LeaveServices): GrpcServiceBinding {
  return grpcService(leaveService, {
    GetApprovedLeaves: async (request) => {
      const { at, userIds, allStudents } = parseInput(
        approvedLeavesRequestSchema,
        {
          at: fromTimestamp(request.at) ?? undefined,
          userIds: request.userIds,
          allStudents: request.allStudents ?? false,
        },
        'Invalid GetApprovedLeaves request',
      );
      const leaves = await queries.approvedLeavesAt(at, allStudents ? 'all' : userIds);
      return {
        leaves: leaves.map((leave) => ({
          applicationId: leave.id,
          studentId: leave.applicantId,
          leaveAt: toTimestamp(leave.leaveAt),
          returnAt: toTimestamp(leave.returnAt),
          reason: leave.reason,
        })),
      };
    },
  });
}
