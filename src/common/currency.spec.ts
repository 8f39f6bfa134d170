import { centsPerMinorUnit, decimalsOf, inexactAmountMessage, isExactIn, isSupportedCurrency } from './currency.js';

describe('currencies', () => {
  it('takes three capital letters of a currency the runtime knows', () => {
    expect(['EUR', 'USD', 'JPY', 'GBP', 'CHF'].every(isSupportedCurrency)).toBe(true);
    expect(['eur', 'EURO', 'EU', 'ABC', 'XXX', '', 42, null].some(isSupportedCurrency)).toBe(false);
  });

  it('refuses currencies with more decimals than prices are stored with', () => {
    expect(['BHD', 'KWD', 'TND', 'CLF'].some(isSupportedCurrency)).toBe(false);
  });

  it("follows ISO 4217's minor units, not the display digits of CLDR", () => {
    expect(decimalsOf('JPY')).toBe(0);
    expect(decimalsOf('KRW')).toBe(0);
    expect(decimalsOf('EUR')).toBe(2);
    expect(decimalsOf('HUF')).toBe(2);
    expect(decimalsOf('IDR')).toBe(2);
  });

  it('is exact to the minor unit: JPY in whole yen, EUR in cents', () => {
    expect(centsPerMinorUnit('JPY')).toBe(100);
    expect(isExactIn(150_000, 'JPY')).toBe(true);
    expect(isExactIn(150_050, 'JPY')).toBe(false);
    expect(isExactIn(150_050, 'EUR')).toBe(true);
    expect(inexactAmountMessage('price', 'JPY')).toBe('price must be a whole number: JPY has no minor unit');
  });
});
