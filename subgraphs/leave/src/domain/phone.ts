import { normalizeRussianPhone as canonicalRussianPhone } from '@campus/platform';
import { LeaveErrorCode, ruleViolation } from './errors';

/**
 * A Russian contact phone, 10 or 11 digits as people write it ("+7 912 345-67-89",
 * "8 (912) 345 67 89", "9123456789"), normalised to +7XXXXXXXXXX so every copy compares equal.
 */
export function normalizeRussianPhone(input: string): string {
  const phone = canonicalRussianPhone(input);
  if (phone) return phone;
  throw ruleViolation(LeaveErrorCode.INVALID_PHONE, 'The contact phone must be a Russian number of 10–11 digits, e.g. +7 912 345-67-89', {
    fields: { contactPhone: 'not a Russian phone number' },
  });
}
