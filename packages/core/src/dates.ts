const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses an RFC 3339 date-time that has seconds and a zone into epoch milliseconds (with
 * sub-millisecond fractions kept). Date-only strings, numeric strings and anything else
 * answer undefined. Deliberately not Date.parse, whose accepted formats vary by runtime.
 */
export function parseRfc3339(text: string): number | undefined {
  if (text.length > 64) return undefined;
  const m = RFC3339.exec(text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  // RFC 3339 allows a leap second (60); it counts as the last second of the minute.
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60)
    return undefined;
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  // setUTCFullYear takes years 0-99 as they are (Date.UTC would read 1900-1999), and a day
  // past the end of the month rolls into the next one: that is how 02-30 is refused.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1) return undefined;
  const fraction = m[7] === undefined ? 0 : Number(`0${m[7]}`) * 1000;
  return date.setUTCHours(hour, minute, Math.min(second, 59)) - offsetMinutes * 60_000 + fraction;
}

/** A date operand: a finite JSON number (epoch ms) or an RFC 3339 date-time; else undefined. */
export function toEpochMillis(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') return parseRfc3339(value);
  return undefined;
}
