import { fromTimestamp, leaveService, toTimestamp } from '@campus/contracts';
import { grpcService, parseInput, requireCaller, type GrpcServiceBinding } from '@campus/platform';
import {
  approvedLeavesRequestSchema,
  reinstateForCheckoutSchema,
  withdrawForCheckoutSchema,
} from '../../schemas/inputs';
import type { LeaveServices } from '../../services';

/**
 * campus.leave.v1.LeaveService (proto/campus/leave/v1/leave.proto): GetApprovedLeaves for patrols;
 * the check-out saga's step, for the checkout service only (PERMISSION_DENIED for any other caller).
 */
export function leaveGrpcService({ queries, checkout }: LeaveServices): GrpcServiceBinding {
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
    WithdrawPendingForCheckOut: async (request, call) => {
      requireCaller(call, 'checkout');
      const input = parseInput(
        withdrawForCheckoutSchema,
        { userId: request.userId, checkoutId: request.checkoutId },
        'Invalid WithdrawPendingForCheckOut request',
      );
      return { applicationIds: await checkout.withdrawPending(input) };
    },
    ReinstateForCheckOut: async (request, call) => {
      requireCaller(call, 'checkout');
      const input = parseInput(
        reinstateForCheckoutSchema,
        { checkoutId: request.checkoutId },
        'Invalid ReinstateForCheckOut request',
      );
      return { applicationIds: await checkout.reinstate(input) };
    },
  });
}
