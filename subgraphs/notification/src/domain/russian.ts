// Russian wording shared by the notification messages (the campus language). Times are shown in
// campus local time.
import type { ResidenceSnapshot } from '@campus/contracts';

/** "25 ноября в 18:00" in the campus time zone. */
export function dateTimeFormatter(timeZone: string): (iso: string) => string {
  const format = new Intl.DateTimeFormat('ru-RU', {
    timeZone,
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  });
  return (iso) => format.format(new Date(iso));
}

const dayMonth = new Intl.DateTimeFormat('ru-RU', { timeZone: 'UTC', day: 'numeric', month: 'long' });

/** A calendar date "2026-11-25" → "25 ноября" (no time zone shift: it is already local). */
export function formatLocalDate(date: string): string {
  return dayMonth.format(new Date(`${date}T00:00:00Z`));
}

const monthName = new Intl.DateTimeFormat('ru-RU', { timeZone: 'UTC', month: 'long' });

/** A month "2026-12" → "декабрь 2026" (the nominative, as in "график на декабрь 2026"). */
export function formatMonth(month: string): string {
  return `${monthName.format(new Date(`${month}-01T00:00:00Z`))} ${month.slice(0, 4)}`;
}

/**
 * Calendar dates in order, each month named once after its last day: "5 и 19 декабря",
 * "2, 12 и 22 декабря", "30 ноября и 2 декабря".
 */
export function formatLocalDates(dates: readonly string[]): string {
  const sorted = [...new Set(dates)].sort();
  const days = sorted.map((date, i) =>
    sorted[i + 1]?.slice(0, 7) === date.slice(0, 7) ? String(Number(date.slice(8, 10))) : formatLocalDate(date),
  );
  return days.length > 1 ? `${days.slice(0, -1).join(', ')} и ${days[days.length - 1]}` : (days[0] ?? '');
}

/** "корпус 8, подъезд 2, комната 301". */
export function residencePhrase(
  residence: Pick<ResidenceSnapshot, 'building' | 'entrance'> & { room?: string | null },
): string {
  const parts = [`корпус ${residence.building}`, `подъезд ${residence.entrance}`];
  if (residence.room) parts.push(`комната ${residence.room}`);
  return parts.join(', ');
}

/** Russian plural form for a count: plural(5, ['студент', 'студента', 'студентов']) → "студентов". */
export function plural(n: number, forms: readonly [one: string, few: string, many: string]): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return forms[0];
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return forms[1];
  return forms[2];
}

/** Free text embedded in a sentence: trimmed, without a final full stop (the sentence adds its own). */
export function clause(text: string): string {
  return text.trim().replace(/[.\s]+$/u, '');
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
