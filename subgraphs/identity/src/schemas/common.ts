// Building blocks of every input schema: normalisation (e-mail, phone, dates) happens here, once.
// Transports parse with platform's parseInput.
import { normalizeRussianPhone } from '@campus/platform';
import { z } from 'zod';

export const normalizeEmail = (raw: string): string => raw.trim().toLowerCase();

/** A Russian phone number as "+7XXXXXXXXXX", or null when `raw` is not one. */
export const normalizePhone = normalizeRussianPhone;

/** "YYYY-MM-DD" or "DD.MM.YYYY" → that calendar day at UTC midnight, or null if not a real date. */
export function parseCalendarDate(raw: string): Date | null {
  const text = raw.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const ru = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : ru ? [ru[3], ru[2], ru[1]] : [];
  if (!year || !month || !day) return null;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  // Date.UTC rolls 2026-02-30 over to March; a real date survives the round trip.
  return date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day) ? date : null;
}

export const emailSchema = z.preprocess(
  (v) => (typeof v === 'string' ? normalizeEmail(v) : v),
  z.email({ message: 'must be a valid e-mail address' }).max(254, 'must have at most 254 characters'),
);

export const phoneSchema = z.string().transform((raw, ctx) => {
  const phone = normalizePhone(raw);
  if (phone === null) {
    ctx.addIssue({ code: 'custom', message: 'must be a Russian phone number: 10 digits, or 11 starting with 7 or 8' });
    return z.NEVER;
  }
  return phone;
});

export const calendarDateSchema = z.string().transform((raw, ctx) => {
  const date = parseCalendarDate(raw);
  if (date === null) {
    ctx.addIssue({ code: 'custom', message: 'must be a date as YYYY-MM-DD or DD.MM.YYYY' });
    return z.NEVER;
  }
  return date;
});

export const nameSchema = z.string().trim().min(1, 'must not be empty').max(100, 'must have at most 100 characters');

/** An optional name: blank means "none". */
export const optionalNameSchema = z
  .string()
  .trim()
  .max(100, 'must have at most 100 characters')
  .transform((v) => (v === '' ? null : v));

export { buildingCodeSchema, roomNumberSchema } from '@campus/platform';
export const entranceNumberSchema = z.number().int().min(1).max(99);

// Any 8-4-4-4-12 hex id, as PostgreSQL's uuid type accepts it.
export const uuidSchema = z.guid({ message: 'must be a UUID' });

/** Passwords are checked against the policy by the services; here only bounded in size. */
export const passwordSchema = z.string().max(1024, 'is too long');
