// The shared kernel: campus words every service uses (roles, where people live, entrance scope,
// phone numbers). No business rules: which role may do what stays in each service.
export { ROLES, STAFF_ROLES, STUDENT_ROLES, type Role } from './roles';
export {
  buildingCodeSchema,
  entranceRefSchema,
  MAX_BUILDING_CODE,
  MAX_ROOM_NUMBER,
  residenceSchema,
  roomNumberSchema,
  type EntranceRef,
  type Residence,
} from './residence';
export { actsOnEntrance, requireEntranceScope, type EntranceScopeRule } from './entrance-scope';
export { normalizeRussianPhone } from './phone';
export { isCalendarDate, localDate, wallClock, zonedInstant, type WallClock } from './campus-time';
