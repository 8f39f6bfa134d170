import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { WebhookUrlNotAllowedError } from '../common/domain-error.js';

export const MAX_WEBHOOK_URL_LENGTH = 2000;

/**
 * Every range that is not the public internet: loopback, private, carrier-grade NAT, link-local
 * (cloud metadata lives at 169.254.169.254), unique-local, multicast, reserved and documentation
 * ranges, and the unspecified address (which connects to the host itself).
 */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) NON_PUBLIC.addSubnet(network, prefix, 'ipv6');

/** An IPv4 address written as IPv6 (::ffff:10.0.0.1, or ::ffff:a00:1 as URLs write it) is judged as the IPv4 address it is. */
export function isPublicAddress(address: string): boolean {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (dotted) return isPublicAddress(dotted);
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
    return isPublicAddress([high >> 8, high & 255, low >> 8, low & 255].join('.'));
  }
  const family = isIP(address);
  if (family === 0) return false;
  return !NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The URL as the service will call it, or a refusal saying why it will not. */
export function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookUrlNotAllowedError(`"${text.slice(0, 100)}" is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookUrlNotAllowedError(`Webhook URLs use http or https, not ${url.protocol.replace(/:$/, '')}.`);
  return url;
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Refuses a URL whose host is, or resolves to, an address off the public internet, unless
 * private networks are allowed. Checked when a webhook is saved; a delivery checks again as it
 * connects (`guardedLookup`), since what a name resolves to can change after it was saved.
 */
export async function checkWebhookUrl(text: string, allowPrivateNetworks: boolean): Promise<URL> {
  const url = parseWebhookUrl(text);
  if (allowPrivateNetworks) return url;
  const host = hostOf(url);
  const addresses = isIP(host) ? [host] : await resolve(host);
  const refused = addresses.find((address) => !isPublicAddress(address));
  if (refused !== undefined) {
    throw new WebhookUrlNotAllowedError(`${url.origin} ${refused === host ? 'is' : `resolves to ${refused}, which is`} not a public address; webhooks go to public addresses only.`);
  }
  return url;
}

async function resolve(host: string): Promise<string[]> {
  return new Promise((done, fail) =>
    dnsLookup(host, { all: true }, (error, found: LookupAddress[]) => {
      if (error) fail(new WebhookUrlNotAllowedError(`The host ${host} does not resolve (${error.code ?? error.message}).`));
      else done(found.map((entry) => entry.address));
    }),
  );
}

/** Whether a delivery may go to this URL's host as written: names are checked when they resolve. */
export function literalHostAllowed(url: URL, allowPrivateNetworks: boolean): boolean {
  const host = hostOf(url);
  return allowPrivateNetworks || isIP(host) === 0 || isPublicAddress(host);
}

/**
 * A DNS lookup for outgoing deliveries that fails for a non-public address, so the address checked
 * is the address connected to (no window for DNS rebinding between a check and the connection).
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, found: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = found.find((entry) => !isPublicAddress(entry.address));
    if (refused) return callback(new Error(`${hostname} resolves to ${refused.address}, not a public address`), '', 0);
    if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, found);
    callback(null, found[0].address, found[0].family);
  });
};
