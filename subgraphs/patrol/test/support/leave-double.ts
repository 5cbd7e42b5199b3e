// leave's gRPC API as a test double at the network boundary: a real gRPC server answering
// GetApprovedLeaves from the leaves a test gives it, with scripted delays and failures.
import { createLogger, grpcService, startGrpcServer, type RunningGrpcServer } from '@campus/platform';
import { fromTimestamp, leaveService } from '@campus/contracts';
import type { CallBehaviour } from '@campus/testkit';

export interface TestLeave {
  applicationId: string;
  studentId: string;
  leaveAt: Date;
  returnAt: Date;
  reason: string;
}

const timestamp = (date: Date) => ({ seconds: String(date.getTime() / 1000), nanos: 0 });

export class LeaveDouble {
  leaves: TestLeave[] = [];
  behaviour: CallBehaviour = {};
  calls: { at: Date; userIds: string[]; allStudents: boolean; arrived: number }[] = [];
  private server: RunningGrpcServer | undefined;

  get address(): string {
    return `127.0.0.1:${this.server!.port}`;
  }

  async start(): Promise<this> {
    const notCalledByPatrol = async (): Promise<never> => {
      throw new Error('not implemented by the leave test double');
    };
    this.server = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      logger: createLogger('leave-double', 'silent'),
      services: [
        grpcService(leaveService, {
          GetApprovedLeaves: async (request) => {
            const at = fromTimestamp(request.at)!;
            this.calls.push({
              at,
              userIds: request.userIds,
              allStudents: request.allStudents ?? false,
              arrived: Date.now(),
            });
            await this.behaviour.before?.(this.calls.length);
            const covering = this.leaves.filter(
              (l) =>
                l.leaveAt <= at &&
                at < l.returnAt &&
                (!request.userIds.length || request.userIds.includes(l.studentId)),
            );
            return {
              leaves: covering.map((l) => ({
                applicationId: l.applicationId,
                studentId: l.studentId,
                reason: l.reason,
                leaveAt: timestamp(l.leaveAt),
                returnAt: timestamp(l.returnAt),
              })),
            };
          },
          // The check-out saga's commands: patrol never calls them.
          WithdrawPendingForCheckOut: notCalledByPatrol,
          ReinstateForCheckOut: notCalledByPatrol,
        }),
      ],
    });
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }
}
