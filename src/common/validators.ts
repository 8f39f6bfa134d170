import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { isSupportedCurrency } from './currency.js';
import { canonicalTimeZone } from './time-zone.js';

type Check = (value: unknown, args: ValidationArguments) => boolean;

function rule(name: string, check: Check, message: (args: ValidationArguments) => string) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target, propertyName) =>
      registerDecorator({
        name,
        target: target.constructor,
        propertyName: String(propertyName),
        options: { message, ...options },
        validator: { validate: check },
      });
}

/** ISO 8601 date-time that names its zone: without one the instant would be ambiguous. */
const ZONED_ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * The horizon of every date the API takes, once its offset is applied: the range of MySQL's
 * DATETIME. Past the last second of 9999, MySQL refuses the value and SQLite stores one that no
 * longer sorts or reads back as a date.
 */
export const EARLIEST_DATE = new Date('1000-01-01T00:00:00Z');
export const LATEST_DATE = new Date('9999-12-31T23:59:59Z');

export function isWithinDateHorizon(date: Date): boolean {
  return date.getTime() >= EARLIEST_DATE.getTime() && date.getTime() <= LATEST_DATE.getTime();
}

export function parseZonedIsoDate(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ZONED_ISO_DATE_TIME.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second = '0', zoneHour = '0', zoneMinute = '0'] = match;
  const calendarDay = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const isRealDay =
    calendarDay.getUTCFullYear() === Number(year) &&
    calendarDay.getUTCMonth() === Number(month) - 1 &&
    calendarDay.getUTCDate() === Number(day);
  const inRange =
    Number(hour) <= 23 && Number(minute) <= 59 && Number(second) <= 59 && Number(zoneHour) <= 23 && Number(zoneMinute) <= 59;
  if (!isRealDay || !inRange) return undefined;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) || !isWithinDateHorizon(parsed) ? undefined : parsed;
}

export const IsZonedIsoDateTime = rule(
  'isZonedIsoDateTime',
  (value) => parseZonedIsoDate(value) !== undefined,
  ({ property }) =>
    `${property} must be an ISO 8601 date-time with a time zone, e.g. 2027-06-15T18:00:00Z or 2027-06-15T20:00:00+02:00, ` +
    `no later than ${LATEST_DATE.toISOString().replace('.000Z', 'Z')} once its offset is applied`,
);

export const IsInTheFuture = rule(
  'isInTheFuture',
  (value) => {
    const date = parseZonedIsoDate(value);
    return date === undefined || date.getTime() > Date.now();
  },
  ({ property }) => `${property} must be in the future`,
);

export const IsNotBlank = rule(
  'isNotBlank',
  (value) => typeof value !== 'string' || value.trim().length > 0,
  ({ property }) => `${property} must not be blank`,
);

export const MAX_PRICE = 1_000_000;

/** A JSON number from 0 to 1,000,000 with at most two decimals (whole cents). */
export const IsPrice = rule(
  'isPrice',
  (value) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_PRICE) return false;
    const cents = value * 100;
    return Math.abs(cents - Math.round(cents)) < 1e-6;
  },
  ({ property }) => `${property} must be a number from 0 to ${MAX_PRICE.toLocaleString('en')} with at most 2 decimals`,
);

/** Compares with a sibling property; a missing or invalid sibling is reported by its own rules. */
export const IsNotGreaterThanProperty = (sibling: string, options?: ValidationOptions) =>
  rule(
    'isNotGreaterThanProperty',
    (value, args) => {
      const limit = (args.object as Record<string, unknown>)[sibling];
      return typeof value !== 'number' || typeof limit !== 'number' || value <= limit;
    },
    ({ property }) => `${property} must not be greater than ${sibling}`,
  )(options);

/** The items of an array name distinct things: their `key` property (a name) is unique ignoring case. */
export const HasUniqueNamesIgnoringCase = (key = 'name', options?: ValidationOptions) =>
  rule(
    'hasUniqueNamesIgnoringCase',
    (value) => {
      if (!Array.isArray(value)) return true;
      const names = value
        .map((item: unknown) => (item as Record<string, unknown> | null)?.[key])
        .filter((name): name is string => typeof name === 'string')
        .map((name) => name.toLowerCase());
      return new Set(names).size === names.length;
    },
    ({ property }) => `${property} must have unique ${key === 'name' ? 'names' : `${key} values`} (compared case-insensitively)`,
  )(options);

/** An array no longer than a sibling number (names for at most `quantity` seats, say); a missing sibling is reported by its own rules. */
export const IsNoLongerThanProperty = (sibling: string, options?: ValidationOptions) =>
  rule(
    'isNoLongerThanProperty',
    (value, args) => {
      const limit = (args.object as Record<string, unknown>)[sibling];
      return !Array.isArray(value) || typeof limit !== 'number' || value.length <= limit;
    },
    ({ property }) => `${property} must not have more entries than ${sibling}`,
  )(options);

/** One form of a body or the other: this field may not come with any of `others`. */
export const IsAbsentWith = (others: readonly string[], options?: ValidationOptions) =>
  rule(
    'isAbsentWith',
    (_value, args) => others.every((other) => (args.object as Record<string, unknown>)[other] === undefined),
    ({ property }) => `${property} must not be sent together with ${others.join(', ')}`,
  )(options);

/** A date-time after a sibling's (both ISO 8601 with a zone); a missing or invalid sibling is reported by its own rules. */
export const IsLaterThanProperty = (sibling: string, options?: ValidationOptions) =>
  rule(
    'isLaterThanProperty',
    (value, args) => {
      const date = parseZonedIsoDate(value);
      const earlier = parseZonedIsoDate((args.object as Record<string, unknown>)[sibling]);
      return date === undefined || earlier === undefined || date.getTime() > earlier.getTime();
    },
    ({ property }) => `${property} must be later than ${sibling}`,
  )(options);

/** An IANA time zone name the runtime's zone database knows (Europe/Berlin, America/New_York, UTC). */
export const IsTimeZone = rule(
  'isTimeZone',
  (value) => canonicalTimeZone(value) !== undefined,
  ({ property }) => `${property} must be an IANA time zone name such as Europe/Berlin or UTC`,
);

/** An ISO 4217 code in capitals whose prices the API can store exactly. */
export const IsCurrency = rule(
  'isCurrency',
  (value) => isSupportedCurrency(value),
  ({ property }) => `${property} must be an ISO 4217 currency code in capitals with at most 2 decimals, such as EUR, USD or JPY`,
);
