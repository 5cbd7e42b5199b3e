// Inputs of user management and listing (GraphQL arguments, after enum mapping to role codes).
import { ROLES } from '@campus/platform';
import { z } from 'zod';
import {
  buildingCodeSchema,
  calendarDateSchema,
  emailSchema,
  entranceNumberSchema,
  nameSchema,
  optionalNameSchema,
  passwordSchema,
  phoneSchema,
  roomNumberSchema,
  uuidSchema,
} from './common';

export const roleSchema = z.enum(ROLES);

export const residenceInputSchema = z.object({ building: buildingCodeSchema, room: roomNumberSchema });
export const parentContactInputSchema = z.object({ name: nameSchema, phone: phoneSchema });
export const entranceInputSchema = z.object({ building: buildingCodeSchema, entrance: entranceNumberSchema });

/** Drops null values: for filters, "null" and "absent" both mean "do not filter". */
function withoutNulls<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], null>;
  };
}

export const userFilterSchema = z
  .object({
    building: buildingCodeSchema.nullish(),
    entrance: entranceNumberSchema.nullish(),
    floor: z.number().int().min(0).max(200).nullish(),
    room: roomNumberSchema.nullish(),
    role: roleSchema.nullish(),
    minorsOnly: z.boolean().nullish(),
    search: z.string().trim().max(100).nullish(),
    isActive: z.boolean().nullish(),
  })
  .nullish()
  .transform((filter) => {
    const { search, ...rest } = withoutNulls(filter ?? {});
    return { ...rest, ...(search ? { search } : {}) };
  });
export type UserFilterInput = z.output<typeof userFilterSchema>;

export const userIdArgsSchema = z.object({ id: uuidSchema });

export const exportUsersCsvArgsSchema = z.object({
  filter: userFilterSchema,
  separator: z
    .enum(['COMMA', 'SEMICOLON'])
    .nullish()
    .transform((separator) => (separator === 'SEMICOLON' ? ';' : ',')),
});

export const listUsersArgsSchema = z.object({
  filter: userFilterSchema,
  page: z.number().int().nullish(),
  size: z.number().int().nullish(),
});

const stayDatesRefinement = (
  value: { checkInDate?: Date | null; checkOutDate?: Date | null },
  ctx: z.RefinementCtx,
) => {
  if (value.checkInDate && value.checkOutDate && value.checkOutDate < value.checkInDate) {
    ctx.addIssue({ code: 'custom', path: ['checkOutDate'], message: 'must not be before checkInDate' });
  }
};

export const createUserInputSchema = z
  .object({
    email: emailSchema,
    password: passwordSchema,
    firstName: nameSchema,
    lastName: nameSchema,
    patronymic: optionalNameSchema.nullish(),
    phone: phoneSchema.nullish(),
    roles: z
      .array(roleSchema)
      .nullish()
      .transform((roles) => roles ?? (['student'] as const)),
    residence: residenceInputSchema.nullish(),
    isMinor: z
      .boolean()
      .nullish()
      .transform((v) => v ?? false),
    checkInDate: calendarDateSchema.nullish(),
    checkOutDate: calendarDateSchema.nullish(),
    parentContact: parentContactInputSchema.nullish(),
    entrances: z.array(entranceInputSchema).max(50).nullish(),
  })
  .superRefine(stayDatesRefinement);
export type CreateUserInput = z.output<typeof createUserInputSchema>;

/** Absent fields stay as they are; null clears a nullable field. */
export const updateUserInputSchema = z
  .object({
    email: emailSchema.optional(),
    firstName: nameSchema.optional(),
    lastName: nameSchema.optional(),
    patronymic: optionalNameSchema.nullish(),
    phone: phoneSchema.nullish(),
    residence: residenceInputSchema.nullish(),
    isMinor: z.boolean().optional(),
    isActive: z.boolean().optional(),
    checkInDate: calendarDateSchema.nullish(),
    checkOutDate: calendarDateSchema.nullish(),
    parentContact: parentContactInputSchema.nullish(),
  })
  .superRefine(stayDatesRefinement);
export type UpdateUserInput = z.output<typeof updateUserInputSchema>;

export const assignRolesArgsSchema = z.object({
  userId: uuidSchema,
  roles: z.array(roleSchema),
  entrances: z.array(entranceInputSchema).max(50).nullish(),
});
export type AssignRolesArgs = z.output<typeof assignRolesArgsSchema>;
