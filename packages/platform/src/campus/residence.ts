import { z } from 'zod';

/** Where a resident lives, as access tokens and events carry it. */
export const residenceSchema = z.object({
  building: z.string(),
  entrance: z.number().int(),
  floor: z.number().int(),
  room: z.string(),
});
export type Residence = z.infer<typeof residenceSchema>;

/** One entrance of one building: the unit that patrols and educators' assignments are scoped to. */
export const entranceRefSchema = z.object({ building: z.string(), entrance: z.number().int() });
export type EntranceRef = z.infer<typeof entranceRefSchema>;

/**
 * A building code and a room number as identity stores them (the layout is data, extendable by an
 * admin): every service's inputs take as long a code as identity accepts, so a building added
 * with a 20-character code can be patrolled, rostered and filtered on at once.
 */
export const MAX_BUILDING_CODE = 20;
export const MAX_ROOM_NUMBER = 20;
export const buildingCodeSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_BUILDING_CODE, `at most ${MAX_BUILDING_CODE} characters`);
export const roomNumberSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_ROOM_NUMBER, `at most ${MAX_ROOM_NUMBER} characters`);
