// Inputs of sign-in and session operations.
import { z } from 'zod';
import { normalizeEmail, passwordSchema, uuidSchema } from './common';

/** Not validated as an address: a malformed e-mail simply fails to sign in like any unknown one. */
export const loginArgsSchema = z.object({
  email: z.string().max(254).transform(normalizeEmail),
  password: passwordSchema,
});
export type LoginArgs = z.output<typeof loginArgsSchema>;

export const refreshTokenArgsSchema = z.object({
  refreshToken: z.string().trim().min(1, 'must not be empty').max(200, 'is not a refresh token'),
});

export const changePasswordArgsSchema = z.object({
  userId: uuidSchema.nullish(),
  currentPassword: passwordSchema.nullish(),
  newPassword: passwordSchema,
});
export type ChangePasswordArgs = z.output<typeof changePasswordArgsSchema>;
