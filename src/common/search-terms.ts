/** The longest word kept; a longer one is cut here, in the text and in a query alike. */
export const MAX_TERM_LENGTH = 64;

/**
 * A word as search compares it: compatibility-decomposed, without its accents, in lower case
 * ("Café" and "CAFE" are "cafe"). Done here rather than by a collation, so both databases match
 * the same way (SQLite's LIKE folds ASCII case only, and no accents).
 */
function term(word: string): string {
  return folded(word).slice(0, MAX_TERM_LENGTH);
}

function folded(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The distinct words of the texts, in order of first appearance: runs of letters and digits. */
export function searchTerms(...texts: (string | null | undefined)[]): string[] {
  const terms = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const word of text.normalize('NFKD').split(/[^\p{L}\p{N}\p{M}]+/u)) {
      const normalised = term(word);
      if (normalised !== '') terms.add(normalised);
    }
  }
  return [...terms];
}

/** How long a piece of a venue is: a venue filter this long or longer is found by its rarest piece. */
export const VENUE_GRAM_LENGTH = 3;

/** Folding can lengthen a text ("ﬁ" is "fi"); a venue key is cut here, far beyond any real venue's. */
export const MAX_VENUE_KEY_LENGTH = 1000;

/**
 * The venue as its filter compares it: folded as a word is (case, accents), spaces and punctuation
 * kept. A filter matches a venue whose key contains the filter's key, the same on both databases.
 */
export function venueKey(venue: string): string {
  return [...folded(venue)].slice(0, MAX_VENUE_KEY_LENGTH).join('');
}

/**
 * The distinct pieces of VENUE_GRAM_LENGTH characters (code points) of a venue key, in order of
 * first appearance. A venue containing a filter contains each of the filter's pieces, so the
 * events indexed under any one of them are all the candidates.
 */
export function venueGrams(key: string): string[] {
  const characters = [...key];
  const grams = new Set<string>();
  for (let start = 0; start + VENUE_GRAM_LENGTH <= characters.length; start++) grams.add(characters.slice(start, start + VENUE_GRAM_LENGTH).join(''));
  return [...grams];
}
