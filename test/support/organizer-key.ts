/**
 * The organiser key every test and script uses: apps they start are given it as
 * ORGANIZER_API_KEY, and their event writes send it. Kept free of side effects so scripts can
 * import it.
 */
export const TEST_ORGANIZER_API_KEY = 'test-organizer-key-0123456789abcdefghijklmnop';
