/**
 * Currencies as ISO 4217 names them. Which codes exist is the runtime's list (ICU); how many
 * decimals a price has is ISO 4217's minor unit, kept here because ICU's CLDR data differs from it
 * for display reasons (it gives HUF, IDR or COP no decimals, which ISO 4217 gives two).
 */
const ZERO_DECIMALS = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);

/** Prices are stored as DECIMAL(…, 2): currencies with three or four decimals (BHD, KWD, CLF, …) cannot be priced exactly. */
const MORE_THAN_TWO_DECIMALS = new Set(['BHD', 'CLF', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND', 'UYW']);

const KNOWN = new Set(Intl.supportedValuesOf('currency'));

export const CURRENCY_PATTERN = '^[A-Z]{3}$';

/** A three-letter ISO 4217 code the runtime knows and whose prices the API can store exactly. */
export function isSupportedCurrency(value: unknown): boolean {
  return typeof value === 'string' && /^[A-Z]{3}$/.test(value) && KNOWN.has(value) && !MORE_THAN_TWO_DECIMALS.has(value);
}

/** The currency's minor unit in decimals: 0 (JPY) or 2 (EUR). */
export function decimalsOf(currency: string): 0 | 2 {
  return ZERO_DECIMALS.has(currency) ? 0 : 2;
}

/** How many cents (hundredths of the major unit, as amounts are kept) make one minor unit: 100 for JPY, 1 for EUR. */
export function centsPerMinorUnit(currency: string): number {
  return decimalsOf(currency) === 0 ? 100 : 1;
}

/** True when the amount, in cents, is a whole number of the currency's minor unit. */
export function isExactIn(cents: number, currency: string): boolean {
  return cents % centsPerMinorUnit(currency) === 0;
}

/** The rule a price breaks when it is not exact to the currency's minor unit, for the field named. */
export function inexactAmountMessage(field: string, currency: string): string {
  return decimalsOf(currency) === 0 ? `${field} must be a whole number: ${currency} has no minor unit` : `${field} must have at most 2 decimals in ${currency}`;
}
