import { MAX_TERM_LENGTH, MAX_VENUE_KEY_LENGTH, searchTerms, venueGrams, venueKey } from './search-terms.js';

describe('searchTerms', () => {
  it('answers the distinct words of the texts in lower case, in order of first appearance', () => {
    expect(searchTerms('Jazz at the Blue Note', 'Blue Note, New York', null, undefined)).toEqual(['jazz', 'at', 'the', 'blue', 'note', 'new', 'york']);
  });

  it('leaves accents out, so "Café" and "CAFE" are one word', () => {
    expect(searchTerms('Café Zürich', 'CAFE ZURICH')).toEqual(['cafe', 'zurich']);
    expect(searchTerms('Ａｒｅｎａ')).toEqual(['arena']);
  });

  it('splits on anything but letters and digits', () => {
    expect(searchTerms("Rock'n'Roll — 2027/06 (live!)")).toEqual(['rock', 'n', 'roll', '2027', '06', 'live']);
    expect(searchTerms('  ,;  ')).toEqual([]);
  });

  it(`cuts a word at ${MAX_TERM_LENGTH} characters`, () => {
    expect(searchTerms('a'.repeat(100))).toEqual(['a'.repeat(MAX_TERM_LENGTH)]);
  });
});

describe('venueKey', () => {
  it('folds case and accents as a word is folded, and keeps spaces and punctuation', () => {
    expect(venueKey('Café Zürich — Halle 3')).toBe('cafe zurich — halle 3');
    expect(venueKey('ＡＲＥＮＡ')).toBe('arena');
  });

  it(`cuts a key at ${MAX_VENUE_KEY_LENGTH} characters, never inside one`, () => {
    const key = venueKey('🎷'.repeat(MAX_VENUE_KEY_LENGTH + 1));
    expect([...key]).toHaveLength(MAX_VENUE_KEY_LENGTH);
    expect(key.isWellFormed()).toBe(true);
  });
});

describe('venueGrams', () => {
  it('answers every distinct piece of three characters, in order of first appearance', () => {
    expect(venueGrams('hall hall')).toEqual(['hal', 'all', 'll ', 'l h', ' ha']);
    expect(venueGrams('🎷ab')).toEqual(['🎷ab']);
  });

  it('answers no piece for a key shorter than three characters', () => {
    expect(venueGrams('ab')).toEqual([]);
    expect(venueGrams('')).toEqual([]);
  });
});
