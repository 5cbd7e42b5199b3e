// The leave registry over leave's gRPC API (GetApprovedLeaves). Deadline, retries on UNAVAILABLE
// and trace propagation come from the platform client.
import { toTimestamp, type LeaveServiceDefinition } from '@campus/contracts';
import type { GrpcClient } from '@campus/platform';
import type { CoveringLeave } from '../domain/patrol';
import type { LeaveRegistry } from '../services/ports';

export class GrpcLeaveRegistry implements LeaveRegistry {
  constructor(private readonly client: GrpcClient<LeaveServiceDefinition>) {}

  async approvedLeavesAt(at: Date, studentIds?: readonly string[]): Promise<CoveringLeave[]> {
    const { leaves } = await this.client.GetApprovedLeaves(
      studentIds ? { at: toTimestamp(at), userIds: [...studentIds] } : { at: toTimestamp(at), allStudents: true },
    );
    return leaves.map((leave) => ({
      applicationId: leave.applicationId,
      studentId: leave.studentId,
      reason: leave.reason,
    }));
  }
}
