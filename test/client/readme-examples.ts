import createClient from 'openapi-fetch';
import type { paths } from './generated/openapi.js';

/**
 * The README's examples as a client generated from /openapi.json runs them (openapi-typescript's
 * types, openapi-fetch's calls). It is type-checked against freshly generated types, so a status or
 * code the document stops declaring breaks its compilation: comparing `error.code` with a code the
 * operation does not declare is a type error.
 */
export type TicketingClient = ReturnType<typeof createClient<paths>>;

export function ticketingClient(baseUrl: string, fetch: typeof globalThis.fetch): TicketingClient {
  return createClient<paths>({ baseUrl, fetch });
}

/** What one step answered: its status, and for an error its code as the typed client reads it. */
export interface Outcome {
  step: string;
  status: number;
  code?: string;
}

export async function runReadmeExamples(client: TicketingClient, organiserKey: string): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const record = (step: string, response: Response): void => {
    outcomes.push({ step, status: response.status });
  };
  /** `expected` must be a code the operation declares: anything else does not compile. */
  const recordError = <E extends { code: string }>(step: string, result: { error?: E; response: Response }, expected: E['code']): void => {
    outcomes.push({ step, status: result.response.status, code: result.error?.code === expected ? expected : `not ${expected}: ${JSON.stringify(result.error)}` });
  };
  const organiser = { Authorization: `Bearer ${organiserKey}` };

  // Create an event: seats_sold and max_per_booking are left out, as in the README.
  const created = await client.POST('/events', {
    headers: organiser,
    body: {
      name: 'Music Concert',
      venue: 'Stadium A',
      date: '2099-06-15T18:00:00Z',
      details: 'A great music concert.',
      ticket_categories: [
        { name: 'General', price: 50, seats_limit: 100 },
        { name: 'VIP', price: 150, seats_limit: 50 },
      ],
    },
  });
  if (!created.data) throw new Error(`create failed: ${JSON.stringify(created.error)}`);
  const eventId = created.data.id;
  record('create', created.response);

  const listed = await client.GET('/events', { params: { query: { limit: 1 } } });
  record('list', listed.response);
  if (!listed.data?.every((event: { sold_out: unknown }) => typeof event.sold_out === 'boolean')) throw new Error('list: not a list of events');

  const one = await client.GET('/events/{id}', { params: { path: { id: eventId } } });
  record('get event', one.response);

  const booked = await client.POST('/events/{id}/book', {
    params: { path: { id: eventId } },
    body: { ticket_category: 'VIP', quantity: 2, customer_name: 'Ada Lovelace', customer_email: 'ada@example.com' },
  });
  if (!booked.data) throw new Error(`book failed: ${JSON.stringify(booked.error)}`);
  record('book', booked.response);

  const held = await client.POST('/events/{id}/holds', { params: { path: { id: eventId } }, body: { ticket_category: 'VIP', quantity: 2 } });
  if (!held.data) throw new Error(`hold failed: ${JSON.stringify(held.error)}`);
  const holdReference = held.data.reference;
  record('hold', held.response);

  const confirmed = await client.POST('/holds/{reference}/confirm', { params: { path: { reference: holdReference } } });
  record('confirm', confirmed.response);
  const confirmedAgain = await client.POST('/holds/{reference}/confirm', { params: { path: { reference: holdReference } } });
  record('confirm again', confirmedAgain.response);

  const lookedUp = await client.GET('/bookings/{reference}', { params: { path: { reference: booked.data.reference } } });
  record('look up', lookedUp.response);
  const cancelled = await client.POST('/bookings/{reference}/cancel', { params: { path: { reference: booked.data.reference } } });
  if (cancelled.data?.status !== 'cancelled') throw new Error('cancel: the booking is not cancelled');
  record('cancel', cancelled.response);

  // Each error path of the README, its code read from the typed error.
  const tooMany = await client.POST('/events/{id}/book', { params: { path: { id: eventId } }, body: { ticket_category: 'VIP', quantity: 49 } });
  recordError('more seats than are left', tooMany, 'INSUFFICIENT_SEATS');

  const past = await client.POST('/events', {
    headers: organiser,
    body: { name: 'Old', venue: 'Hall', date: '2020-01-01T00:00:00Z', ticket_categories: [{ name: 'A', price: 1, seats_limit: 1 }] },
  });
  recordError('a date in the past', past, 'VALIDATION_FAILED');

  const anonymous = await client.POST('/events', { body: { name: 'X', venue: 'Y', date: '2099-01-01T00:00:00Z', ticket_categories: [{ name: 'A', price: 1, seats_limit: 1 }] } });
  recordError('no organiser key', anonymous, 'UNAUTHORIZED');

  const unknownEvent = await client.POST('/events/{id}/book', { params: { path: { id: 999_999 } }, body: { ticket_category: 'VIP', quantity: 1 } });
  recordError('unknown event', unknownEvent, 'EVENT_NOT_FOUND');

  const unknownCategory = await client.POST('/events/{id}/holds', { params: { path: { id: eventId } }, body: { ticket_category: 'Balcony', quantity: 1 } });
  recordError('unknown category', unknownCategory, 'TICKET_CATEGORY_NOT_FOUND');

  const small = await client.POST('/events', {
    headers: organiser,
    body: { name: 'Recital', venue: 'Salon', date: '2099-02-01T19:00:00Z', ticket_categories: [{ name: 'Seat', price: 20, seats_limit: 1 }] },
  });
  if (!small.data) throw new Error(`create failed: ${JSON.stringify(small.error)}`);
  await client.POST('/events/{id}/book', { params: { path: { id: small.data.id } }, body: { ticket_category: 'Seat', quantity: 1 } });
  const soldOut = await client.POST('/events/{id}/book', { params: { path: { id: small.data.id } }, body: { ticket_category: 'Seat', quantity: 1 } });
  recordError('sold out', soldOut, 'SOLD_OUT');

  const unknownHold = await client.POST('/holds/{reference}/confirm', { params: { path: { reference: '0000000000ZZ' } } });
  recordError('unknown hold', unknownHold, 'HOLD_NOT_FOUND');

  const badKey = await client.POST('/holds/{reference}/confirm', { params: { path: { reference: holdReference }, header: { 'Idempotency-Key': 'x'.repeat(256) } } });
  recordError('an invalid Idempotency-Key', badKey, 'VALIDATION_FAILED');

  const releaseBooked = await client.DELETE('/holds/{reference}', { params: { path: { reference: holdReference } } });
  recordError('releasing a confirmed hold', releaseBooked, 'HOLD_ALREADY_CONFIRMED');

  const unknownBooking = await client.POST('/bookings/{reference}/cancel', { params: { path: { reference: '0000000000ZZ' } } });
  recordError('cancelling an unknown booking', unknownBooking, 'BOOKING_NOT_FOUND');

  return outcomes;
}
