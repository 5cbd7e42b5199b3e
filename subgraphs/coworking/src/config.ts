import { z } from 'zod';
import {
  envTypes,
  grpcDependencyEnv,
  loadConfig,
  subgraphEnv,
  subgraphSettings,
  type SubgraphSettings,
} from '@campus/platform';
import type { NightWindow } from './domain/night-reminders';
import type { BookingRules } from './domain/records';

/** HH:MM on the campus wall clock ("24:00" = the end of the day). */
const wallTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a campus-local time HH:MM');

/** The coworking service's environment; its defaults are its row in scripts/lib/services.ts. */
export const coworkingEnv = z.object({
  ...subgraphEnv('coworking', 4004, 50054),
  /** Identity: whether a student asking for a slot still has an active account. */
  ...grpcDependencyEnv('IDENTITY', 50051),
  /** Opening hours of every coworking (campus time): slots lie within them. */
  COWORKING_OPENS_AT: wallTime.default('08:00'),
  COWORKING_CLOSES_AT: wallTime.default('23:00'),
  /** The longest slot one booking may take. */
  COWORKING_MAX_SLOT_MINUTES: envTypes.positiveInt.default(240),
  /** How many days ahead a slot may be booked. */
  COWORKING_MAX_DAYS_AHEAD: envTypes.positiveInt.default(14),
  /**
   * When the holder of a key still out at night is reminded (cron in CAMPUS_TIMEZONE): every 30
   * minutes from 00:00 to 05:30 by default (domain spec §7: "every 30 minutes until 06:00").
   */
  COWORKING_NIGHT_REMINDER_CRON: z.string().min(1).default('0,30 0-5 * * *'),
  /** The night (campus time, [from, until), wraps midnight when from > until): firings outside it remind no one. */
  COWORKING_NIGHT_FROM: wallTime.default('00:00'),
  COWORKING_NIGHT_UNTIL: wallTime.default('06:00'),
  /**
   * How often pending and approved bookings whose slot has ended are expired (cron in
   * CAMPUS_TIMEZONE; 5 or 6 fields): every 5 minutes by default, so a student is freed for a new
   * request within minutes of the slot's end.
   */
  COWORKING_EXPIRY_CRON: z.string().min(1).default('*/5 * * * *'),
});

export interface CoworkingConfig extends SubgraphSettings {
  identityGrpcUrl: string;
  rules: BookingRules;
  nightReminderCron: string;
  /** When the booking expiry job runs (COWORKING_EXPIRY_CRON). */
  expiryCron: string;
  /** When a key out counts as "at night" (reminders, the board's keyOutAtNight). */
  nightWindow: NightWindow;
}

export function loadCoworkingConfig(env: NodeJS.ProcessEnv = process.env): CoworkingConfig {
  const e = loadConfig(coworkingEnv, env);
  return {
    ...subgraphSettings(e),
    identityGrpcUrl: e.IDENTITY_GRPC_URL,
    rules: {
      opensAt: e.COWORKING_OPENS_AT,
      closesAt: e.COWORKING_CLOSES_AT,
      maxSlotMinutes: e.COWORKING_MAX_SLOT_MINUTES,
      maxDaysAhead: e.COWORKING_MAX_DAYS_AHEAD,
    },
    nightReminderCron: e.COWORKING_NIGHT_REMINDER_CRON,
    expiryCron: e.COWORKING_EXPIRY_CRON,
    nightWindow: { from: e.COWORKING_NIGHT_FROM, until: e.COWORKING_NIGHT_UNTIL },
  };
}
