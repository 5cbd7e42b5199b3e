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
