/**
 * A Russian phone number in its canonical form "+7XXXXXXXXXX", or null when `raw` is not one.
 * Accepts 10 digits (national number) or 11 digits starting with 7 or 8, with the usual
 * separators: "8 (900) 123-45-67", "+7 900 123 45 67", "9001234567". Input normalisation only:
 * where a phone is required, and which error a bad one is, is each service's rule.
 */
export function normalizeRussianPhone(raw: string): string | null {
  const compact = raw.trim().replace(/[\s()\-.]/g, '');
  const match = /^(\+?)(\d{10,11})$/.exec(compact);
  if (!match) return null;
  const [, plus, digits = ''] = match;
  if (digits.length === 10) return plus ? null : `+7${digits}`;
  if (digits.startsWith('7')) return `+${digits}`;
  if (digits.startsWith('8') && !plus) return `+7${digits.slice(1)}`;
  return null;
}
