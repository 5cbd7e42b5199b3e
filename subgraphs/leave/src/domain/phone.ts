import { normalizeRussianPhone } from '@campus/platform';
import { LeaveErrors } from './errors';

/**
 * The contact phone of an application: a Russian number of 10 or 11 digits as people write it
 * ("+7 912 345-67-89", "8 (912) 345 67 89", "9123456789"), normalised to +7XXXXXXXXXX so every copy
 * compares equal. Anything else is refused with LEAVE_INVALID_PHONE (the kernel's
 * `normalizeRussianPhone` says null; the rule here says why to the client).
 */
export function requireContactPhone(input: string): string {
  const phone = normalizeRussianPhone(input);
  if (phone) return phone;
  throw LeaveErrors.error(
    'INVALID_PHONE',
    'The contact phone must be a Russian number of 10–11 digits, e.g. +7 912 345-67-89',
    { fields: { contactPhone: 'not a Russian phone number' } },
  );
}
