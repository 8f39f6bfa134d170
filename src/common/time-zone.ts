/**
 * IANA time zones, as the runtime's zone database (ICU's copy of tzdata) knows them. Dates are
 * stored and compared in UTC; a zone only says how an instant reads where the event takes place.
 */

/** The zone's name in its canonical spelling, or undefined when it is not an IANA zone the runtime knows. */
export function canonicalTimeZone(name: unknown): string | undefined {
  // ICU also takes fixed offsets ("+02:00"); those are not zones and would not follow daylight saving.
  if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(zone, format);
  }
  return format;
}

/** Most instants remembered; the oldest half is forgotten beyond it. */
const REMEMBERED_OFFSETS = 10_000;
const offsets = new Map<string, number>();

/**
 * The zone's offset from UTC at that instant, in whole minutes (east positive). Remembered per
 * zone and instant: every answer about an event gives its `local_date`, a page of the list fifty
 * of them, and ICU's formatToParts was the largest cost of a list page in the profile (14 % of
 * the app's CPU). An event's date rarely changes, so the same few instants come back.
 */
export function offsetMinutesAt(date: Date, zone: string): number {
  const key = `${zone} ${date.getTime()}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = computeOffsetMinutes(date, zone);
    if (offsets.size >= REMEMBERED_OFFSETS) forgetOldestHalf();
    offsets.set(key, offset);
  }
  return offset;
}

function forgetOldestHalf(): void {
  let forget = offsets.size / 2;
  for (const key of offsets.keys()) {
    if (forget-- <= 0) break;
    offsets.delete(key);
  }
}

function computeOffsetMinutes(date: Date, zone: string): number {
  const parts = Object.fromEntries(formatIn(zone).formatToParts(date).map((part) => [part.type, part.value]));
  const wallClock = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  const wholeSeconds = Math.floor(date.getTime() / 1000) * 1000;
  // Historical local mean times had offsets in seconds, which ISO 8601 cannot write: rounded to the minute.
  return Math.round((wallClock - wholeSeconds) / 60_000);
}

/**
 * The instant as ISO 8601 in the zone, with the zone's offset at that instant
 * (2027-06-15T20:00:00+02:00); milliseconds only when there are some.
 */
export function localIsoDate(date: Date, zone: string): string {
  const offset = offsetMinutesAt(date, zone);
  const local = new Date(date.getTime() + offset * 60_000).toISOString().replace('Z', '').replace(/\.000$/, '');
  const sign = offset < 0 ? '-' : '+';
  const hours = String(Math.trunc(Math.abs(offset) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${local}${sign}${hours}:${minutes}`;
}
