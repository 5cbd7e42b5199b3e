// Inputs that extend the campus layout (addRooms).
import { z } from 'zod';
import { DEFAULT_ROOM_CAPACITY } from '../domain/campus';
import { MAX_ADDED_ROOMS, MAX_FLOOR, MAX_ROOM_CAPACITY } from '../domain/limits';
import { buildingCodeSchema, entranceNumberSchema, nameSchema } from './common';

/** Letters (any script), digits and hyphens: a code or number that reads the same in a URL, a CSV, a filter. */
const CODE_CHARACTERS = /^[\p{L}\p{N}-]+$/u;

/** A new building's code: what the filters accept (1–20 characters), made of letters, digits and hyphens. */
export const newBuildingCodeSchema = buildingCodeSchema.regex(
  CODE_CHARACTERS,
  'must be letters, digits and hyphens only, e.g. 8',
);

/** A room number as the campus writes them ("301", "2301"): short, letters, digits and hyphens. */
export const newRoomNumberSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(10, 'must have at most 10 characters')
  .regex(CODE_CHARACTERS, 'must be letters, digits and hyphens only, e.g. 2301');

export const newRoomInputSchema = z.object({
  number: newRoomNumberSchema,
  floor: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_FLOOR, `must be at most ${MAX_FLOOR}`),
  capacity: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_ROOM_CAPACITY, `must be at most ${MAX_ROOM_CAPACITY}`)
    .nullish()
    .transform((v) => v ?? DEFAULT_ROOM_CAPACITY),
});

export const addRoomsInputSchema = z
  .object({
    building: newBuildingCodeSchema,
    buildingName: nameSchema.nullish(),
    entrance: entranceNumberSchema,
    rooms: z
      .array(newRoomInputSchema)
      .min(1, 'must name at least one room')
      .max(MAX_ADDED_ROOMS, `must name at most ${MAX_ADDED_ROOMS} rooms per call`),
  })
  .superRefine((input, ctx) => {
    // Each repeat is reported on its own entry, naming the first one with that number.
    const first = new Map<string, number>();
    input.rooms.forEach((room, i) => {
      const earlier = first.get(room.number);
      if (earlier === undefined) first.set(room.number, i);
      else
        ctx.addIssue({
          code: 'custom',
          path: ['rooms', i, 'number'],
          message: `repeats rooms.${earlier}.number (${room.number}): each number once per call`,
        });
    });
  });
export type AddRoomsInput = z.output<typeof addRoomsInputSchema>;
