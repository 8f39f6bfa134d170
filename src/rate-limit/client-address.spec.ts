import fc from 'fast-check';
import type { FastifyRequest } from 'fastify';
import { isIP } from 'node:net';
import { clientAddressOf } from './client-address.js';

const CONNECTION = '10.1.2.3';

/** A request as Fastify hands it over: `ip` is what TRUSTED_PROXIES picked from X-Forwarded-For. */
function requestFrom(ip: string, socket: { remoteAddress?: string } = { remoteAddress: CONNECTION }): FastifyRequest {
  return { ip, socket } as unknown as FastifyRequest;
}

describe('clientAddressOf', () => {
  it('takes an IPv4 address from X-Forwarded-For as it is', () => {
    expect(clientAddressOf(requestFrom('203.0.113.7'))).toBe('203.0.113.7');
  });

  it.each(['not-an-ip', "1' OR '1'='1", 'x'.repeat(8_000), '203.0.113.7:8080', '[2001:db8::1]', ' 203.0.113.7', '', '999.1.1.1'])(
    'counts %j from X-Forwarded-For as the connection address',
    (forwarded) => {
      expect(clientAddressOf(requestFrom(forwarded))).toBe(CONNECTION);
    },
  );

  it('counts an IPv6 client per /64, and an IPv4-mapped address as its IPv4 form', () => {
    expect(clientAddressOf(requestFrom('2001:db8:1:2:aaaa::1'))).toBe(clientAddressOf(requestFrom('2001:db8:1:2:ffff::9')));
    expect(clientAddressOf(requestFrom('2001:db8:1:2::1'))).not.toBe(clientAddressOf(requestFrom('2001:db8:1:3::1')));
    expect(clientAddressOf(requestFrom('::ffff:203.0.113.7'))).toBe('203.0.113.7');
  });

  it('still counts a request whose connection is gone', () => {
    expect(clientAddressOf(requestFrom('garbage', {}))).toBe('unknown');
  });

  it('turns any header text into an IP address, never an error', () => {
    const header = fc.oneof(fc.string({ maxLength: 60 }), fc.ipV4(), fc.ipV6(), fc.ipV4Extended(), fc.ipV6().map((ip) => `${ip}%eth0`));
    fc.assert(
      fc.property(header, (forwarded) => {
        expect(isIP(clientAddressOf(requestFrom(forwarded)))).not.toBe(0);
      }),
    );
  });
});
