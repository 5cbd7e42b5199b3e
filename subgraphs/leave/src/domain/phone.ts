import { LeaveErrorCode, ruleViolation } from './errors';

/**
 * A Russian contact phone, 10 or 11 digits as people write it ("+7 912 345-67-89",
 * "8 (912) 345 67 89", "9123456789"), normalised to +7XXXXXXXXXX so every copy compares equal.
 */
export function normalizeRussianPhone(input: string): string {
  const compact = input.trim().replace(/[\s()-]/g, '');
  const match = /^\+?(\d{10,11})$/.exec(compact);
  const digits = match?.[1];
  if (digits !== undefined) {
    if (digits.length === 10 && !compact.startsWith('+')) return `+7${digits}`;
    if (digits.length === 11 && (digits.startsWith('7') || (digits.startsWith('8') && !compact.startsWith('+')))) {
      return `+7${digits.slice(1)}`;
    }
  }
  throw ruleViolation(LeaveErrorCode.INVALID_PHONE, 'The contact phone must be a Russian number of 10–11 digits, e.g. +7 912 345-67-89', {
    fields: { contactPhone: 'not a Russian phone number' },
  });
}
