/**
 * RFC 8288 link to a list's next page, relative to the API root so it survives proxies and path
 * prefixes; the filters that shaped this page come along, since the cursor is only valid with them.
 */
export function nextPageLink(path: string, filters: Record<string, string | number | undefined>, nextCursor: string | undefined): string | undefined {
  if (nextCursor === undefined) return undefined;
  const query = Object.entries({ ...filters, cursor: nextCursor })
    .flatMap(([name, value]) => (value === undefined ? [] : [`${name}=${encodeURIComponent(value)}`]))
    .join('&');
  return `<${path}?${query}>; rel="next"`;
}
