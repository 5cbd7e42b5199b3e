import path from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import type { ServiceDefinition } from '@grpc/proto-loader';
import type { IdentityServiceDefinition } from './generated/campus/identity/v1/IdentityService';
import type { LeaveServiceDefinition } from './generated/campus/leave/v1/LeaveService';
import type { PatrolServiceDefinition } from './generated/campus/patrol/v1/PatrolService';
import type { NotificationServiceDefinition } from './generated/campus/notification/v1/NotificationService';
import type { DutyServiceDefinition } from './generated/campus/duty/v1/DutyService';
import type { CoworkingServiceDefinition } from './generated/campus/coworking/v1/CoworkingService';
import type { CheckoutServiceDefinition } from './generated/campus/checkout/v1/CheckoutService';

/** proto/ at the repository root (two levels above this package's src/ or dist/). */
export const PROTO_ROOT = path.resolve(__dirname, '..', '..', '..', 'proto');

/** Must match the flags of scripts/generate.js, or the generated types lie about the messages. */
export const LOADER_OPTIONS: protoLoader.Options = {
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
};

function loadService<D>(file: string, qualifiedName: string): D {
  const definition = protoLoader.loadSync(file, LOADER_OPTIONS);
  const service = definition[qualifiedName];
  if (!service) throw new Error(`${qualifiedName} not found in ${file}`);
  return service as unknown as D & ServiceDefinition;
}

export const identityService = loadService<IdentityServiceDefinition>(
  'campus/identity/v1/identity.proto',
  'campus.identity.v1.IdentityService',
);

export const leaveService = loadService<LeaveServiceDefinition>(
  'campus/leave/v1/leave.proto',
  'campus.leave.v1.LeaveService',
);

export const patrolService = loadService<PatrolServiceDefinition>(
  'campus/patrol/v1/patrol.proto',
  'campus.patrol.v1.PatrolService',
);

export const notificationService = loadService<NotificationServiceDefinition>(
  'campus/notification/v1/notification.proto',
  'campus.notification.v1.NotificationService',
);

export const dutyService = loadService<DutyServiceDefinition>(
  'campus/duty/v1/duty.proto',
  'campus.duty.v1.DutyService',
);

export const coworkingService = loadService<CoworkingServiceDefinition>(
  'campus/coworking/v1/coworking.proto',
  'campus.coworking.v1.CoworkingService',
);

export const checkoutService = loadService<CheckoutServiceDefinition>(
  'campus/checkout/v1/checkout.proto',
  'campus.checkout.v1.CheckoutService',
);

/** google.protobuf.Timestamp ↔ Date (seconds are strings because of `longs: String`). */
export function toTimestamp(date: Date): { seconds: string; nanos: number } {
  const ms = date.getTime();
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}

export function fromTimestamp(
  ts: { seconds?: string | number | null; nanos?: number | null } | null | undefined,
): Date | null {
  if (!ts || ts.seconds === undefined || ts.seconds === null) return null;
  return new Date(Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1_000_000));
}
