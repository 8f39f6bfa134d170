/** The longest word kept; a longer one is cut here, in the text and in a query alike. */
export const MAX_TERM_LENGTH = 64;

/**
 * A word as search compares it: compatibility-decomposed, without its accents, in lower case
 * ("Café" and "CAFE" are "cafe"). Done here rather than by a collation, so both databases match
 * the same way (SQLite's LIKE folds ASCII case only, and no accents).
 */
function term(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .slice(0, MAX_TERM_LENGTH);
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
