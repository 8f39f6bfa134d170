import { MAX_TERM_LENGTH, searchTerms } from './search-terms.js';

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
