export * from './proto';
export type { User as IdentityUser, User__Output as IdentityUserOutput } from './generated/campus/identity/v1/User';
export type { Residence__Output as IdentityResidence } from './generated/campus/identity/v1/Residence';
export type { GetUsersRequest } from './generated/campus/identity/v1/GetUsersRequest';
export type { IdentityServiceDefinition } from './generated/campus/identity/v1/IdentityService';
export type { LeaveServiceDefinition } from './generated/campus/leave/v1/LeaveService';
export type {
  ApprovedLeave,
  ApprovedLeave__Output as ApprovedLeaveOutput,
} from './generated/campus/leave/v1/ApprovedLeave';
export * from './events';
// The `data` type of every event, generated from events/*.json (scripts/generate-events.js).
export type * from './generated-events';
export type { DutyServiceDefinition } from './generated/campus/duty/v1/DutyService';
export type { CoworkingServiceDefinition } from './generated/campus/coworking/v1/CoworkingService';
export type { CheckoutServiceDefinition } from './generated/campus/checkout/v1/CheckoutService';
export type { ReleasedBooking__Output as ReleasedBookingOutput } from './generated/campus/coworking/v1/ReleasedBooking';
