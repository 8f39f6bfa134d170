import { createEvent, organizerAuth } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Tickets looked up by code, as QR codes, and as the organiser's attendee list. */
let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});

afterAll(async () => {
  await testApp.close();
});

async function bookedTickets(body: object = { ticket_category: 'VIP', quantity: 2, attendee_names: ['Ada Lovelace'], customer_name: 'Ada', customer_email: 'ada@example.com' }) {
  const event = await createEvent(testApp);
  const booking = await testApp.http().post(`/events/${event.id}/book`).send(body);
  expect(booking.status).toBe(201);
  return { event, booking: booking.body as { reference: string; tickets: { code: string }[] } };
}

describe('GET /tickets/:code', () => {
  it('answers the ticket with its event and booking reference, without the buyer’s e-mail', async () => {
    const { event, booking } = await bookedTickets();
    const [first] = booking.tickets;

    const response = await testApp.http().get(`/tickets/${first.code}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      code: first.code,
      ticket_category: 'VIP',
      attendee_name: 'Ada Lovelace',
      status: 'valid',
      checked_in_at: null,
      event: { id: event.id, name: 'Music Concert', venue: 'Stadium A', date: event.date, local_date: event.local_date },
      booking_reference: booking.reference,
    });
    expect(JSON.stringify(response.body)).not.toContain('ada@example.com');
  });

  it('shows a cancelled booking’s tickets as cancelled', async () => {
    const { booking } = await bookedTickets();
    await testApp.http().post(`/bookings/${booking.reference}/cancel`).expect(200);
    expect((await testApp.http().get(`/tickets/${booking.tickets[1].code}`)).body.status).toBe('cancelled');
  });

  it.each(['AAAAAAAAAAAAAAAAAAAAAA', 'not-a-code', 'x'.repeat(64)])('answers %s with 404 TICKET_NOT_FOUND', async (code) => {
    const response = await testApp.http().get(`/tickets/${code}`);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'TICKET_NOT_FOUND', message: 'No ticket has this code.' });
  });

  it('makes codes of 22 URL-safe characters, each unique', async () => {
    const { booking } = await bookedTickets({ ticket_category: 'General', quantity: 50 });
    const codes = booking.tickets.map((ticket) => ticket.code);
    expect(codes.every((code) => /^[A-Za-z0-9_-]{22}$/.test(code))).toBe(true);
    expect(new Set(codes).size).toBe(50);
  });
});

describe('GET /tickets/:code/qr.png and qr.svg', () => {
  it('answers a PNG and an SVG QR code', async () => {
    const { booking } = await bookedTickets();
    const code = booking.tickets[0].code;

    const png = await testApp.http().get(`/tickets/${code}/qr.png`);
    const svg = await testApp.http().get(`/tickets/${code}/qr.svg`);

    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.body.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.text).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it('encodes the ticket code alone: the same code makes the same image, another code another one', async () => {
    const { booking } = await bookedTickets();
    const [one, other] = booking.tickets.map((ticket) => ticket.code);
    const svgOf = async (code: string) => (await testApp.http().get(`/tickets/${code}/qr.svg`)).text;
    expect(await svgOf(one)).toBe(await svgOf(one));
    expect(await svgOf(one)).not.toBe(await svgOf(other));
  });

  it('answers an unknown code with 404 TICKET_NOT_FOUND in the error shape', async () => {
    const response = await testApp.http().get('/tickets/AAAAAAAAAAAAAAAAAAAAAA/qr.png');
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('TICKET_NOT_FOUND');
  });
});

describe('GET /events/:id/attendees.csv', () => {
  function attendees(eventId: number, auth = organizerAuth) {
    return testApp.http().get(`/events/${eventId}/attendees.csv`).set('Authorization', auth);
  }

  it('answers every ticket as an RFC 4180 row, cancelled ones too, with the buyer', async () => {
    const event = await createEvent(testApp);
    const kept = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'VIP', quantity: 2, attendee_names: ['Ada, Countess of Lovelace'], customer_name: 'Ada', customer_email: 'ada@example.com' });
    const dropped = await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'General', quantity: 1 });
    await testApp.http().post(`/bookings/${dropped.body.reference}/cancel`).expect(200);

    const response = await attendees(event.id);

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="event-${event.id}-attendees.csv"`);
    const [first, second] = kept.body.tickets as { code: string }[];
    expect(response.text).toBe(
      'booking_reference,ticket_code,ticket_category,attendee_name,customer_name,customer_email,status,checked_in_at\r\n' +
        `${kept.body.reference},${first.code},VIP,"Ada, Countess of Lovelace",Ada,ada@example.com,valid,\r\n` +
        `${kept.body.reference},${second.code},VIP,,Ada,ada@example.com,valid,\r\n` +
        `${dropped.body.reference},${dropped.body.tickets[0].code},General,,,,cancelled,\r\n`,
    );
  });

  it('neutralises cells a spreadsheet would run as a formula, keeping the text', async () => {
    const event = await createEvent(testApp);
    const names = ['=HYPERLINK("http://evil.example","click")', '+1+1', '-2', '@SUM(A1)'];
    await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'VIP', quantity: 4, attendee_names: names, customer_name: '\tTabbed' });

    const [, ...rows] = parseCsv((await attendees(event.id)).text);

    expect(rows.map((row) => [row[3], row[4]])).toEqual(names.map((name) => [`'${name}`, "'\tTabbed"]));
  });

  it('streams a large list in pages, every ticket once', async () => {
    const event = await createEvent(testApp, { ticket_categories: [{ name: 'Floor', price: 10, seats_limit: 5000 }] });
    for (let i = 0; i < 3; i++) await testApp.http().post(`/events/${event.id}/book`).send({ ticket_category: 'Floor', quantity: 1000 }).expect(201);

    const lines = (await attendees(event.id)).text.trimEnd().split('\r\n');

    expect(lines).toHaveLength(3001);
    expect(new Set(lines.slice(1).map((line) => line.split(',')[1])).size).toBe(3000);
  });

  it("answers 401 without an organiser key and 404 for another organiser's event or a scanner key", async () => {
    const event = await createEvent(testApp);
    const scanner = await testApp.http().post(`/events/${event.id}/scanner-keys`).set('Authorization', organizerAuth);
    expect((await testApp.http().get(`/events/${event.id}/attendees.csv`)).status).toBe(401);
    expect((await attendees(event.id, `Bearer ${scanner.body.key}`)).status).toBe(401);
    expect((await attendees(999_999)).status).toBe(404);
  });
});

/** RFC 4180, as a spreadsheet reads it: quoted fields may hold commas, quotes (doubled) and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') field += text[++i];
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
      i++;
    } else field += char;
  }
  return rows;
}
