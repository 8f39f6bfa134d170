import { randomBytes } from 'node:crypto';

const CODE_BYTES = 16;

/**
 * A ticket's code is all it takes to get in: 128 bits from the OS's cryptographic source, far
 * beyond guessing, written in base64url (22 characters) so it travels in a URL and a QR code as it is.
 */
export function generateTicketCode(): string {
  return randomBytes(CODE_BYTES).toString('base64url');
}

const TICKET_CODE = /^[A-Za-z0-9_-]{22}$/;

/** Only the shape generateTicketCode writes can be a code: anything else is answered like an unknown one. */
export function isTicketCode(value: string): boolean {
  return TICKET_CODE.test(value);
}
