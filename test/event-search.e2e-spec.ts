import { randomBytes } from 'node:crypto';
import { createEvent, organizerAuth } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** GET /events with filters: words, venue, dates, availability, each with exact paging by cursor. */
let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});

afterAll(async () => {
  await testApp.close();
});

/** A word no other test's events contain, so each test sees its own events only. */
const token = () => `t${randomBytes(5).toString('hex')}`;

const day = (n: number, hour = 20) => new Date(Date.UTC(2031, 0, 1 + n, hour)).toISOString();

interface Listed {
  id: number;
  name: string;
}

/** Follows the Link headers from the first page to the last, collecting the ids in order. */
async function walk(query: string, limit = 2): Promise<number[]> {
  const ids: number[] = [];
  let path: string | undefined = `/events?limit=${limit}&${query}`;
  while (path !== undefined) {
    const response = await testApp.http().get(path);
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    ids.push(...(response.body as Listed[]).map((event) => event.id));
    path = /<([^>]+)>; rel="next"/.exec(String(response.headers.link ?? ''))?.[1];
  }
  return ids;
}

function list(query: string) {
  return testApp.http().get(`/events?${query}`);
}

describe('GET /events?q=', () => {
  it('finds the events whose name, venue or details hold every word, ignoring case and accents, by date then id', async () => {
    const word = token();
    const inName = await createEvent(testApp, { name: `Café ${word} Nights`, date: day(3) });
    const inVenue = await createEvent(testApp, { venue: `${word.toUpperCase()} Arena`, date: day(1) });
    const inDetails = await createEvent(testApp, { details: `Bring friends! (${word}, jazz)`, date: day(2) });
    const sameTime = await createEvent(testApp, { name: `${word} café`, date: day(2) });
    await createEvent(testApp, { name: `${word}s plural is another word`, date: day(2) });

    expect(await walk(`q=${word}`)).toEqual([inVenue.id, inDetails.id, sameTime.id, inName.id]);
    expect(await walk(`q=${encodeURIComponent(`CAFE ${word}`)}`)).toEqual([sameTime.id, inName.id]);
    expect(await walk(`q=${encodeURIComponent(`café, ${word.toUpperCase()}!`)}`, 1)).toEqual([sameTime.id, inName.id]);
    expect(await walk(`q=${encodeURIComponent(`${word} nowhere`)}`)).toEqual([]);
  });

  it('follows a PATCH of the name, venue, details or date', async () => {
    const before = token();
    const after = token();
    const event = await createEvent(testApp, { name: `${before} show`, date: day(5) });
    const other = await createEvent(testApp, { name: `${after} show`, date: day(6) });

    await testApp.http().patch(`/events/${event.id}`).set('Authorization', organizerAuth).send({ name: `${after} show`, date: day(7) }).expect(200);

    expect(await walk(`q=${before}`)).toEqual([]);
    expect(await walk(`q=${after}`)).toEqual([other.id, event.id]);
  });

  it('leaves out cancelled events', async () => {
    const word = token();
    const kept = await createEvent(testApp, { name: word });
    const cancelled = await createEvent(testApp, { name: word });
    await testApp.http().post(`/events/${cancelled.id}/cancel`).set('Authorization', organizerAuth).expect(200);
    expect(await walk(`q=${word}`)).toEqual([kept.id]);
  });

  it.each([
    ['nothing but punctuation', 'q=%21%3F', 'q must hold 1 to 10 words of letters or digits'],
    ['an empty q', 'q=', 'q must be longer than or equal to 1 characters'],
    ['eleven words', `q=${Array.from({ length: 11 }, (_, i) => `w${i}`).join('+')}`, 'q must hold 1 to 10 words of letters or digits'],
    ['a q of 201 characters', `q=${'a'.repeat(201)}`, 'q must be shorter than or equal to 200 characters'],
  ])('answers 400 VALIDATION_FAILED for %s', async (_label, query, message) => {
    const response = await list(query);
    expect(response.status).toBe(400);
    expect(response.body.message).toEqual(expect.arrayContaining([message]));
  });
});

describe('GET /events?venue=', () => {
  it('finds the events whose venue contains the text, ignoring case, and takes % and _ literally', async () => {
    const place = token();
    const hall = await createEvent(testApp, { venue: `Grand ${place} Hall`, date: day(2) });
    const upper = await createEvent(testApp, { venue: `${place.toUpperCase()}-Club`, date: day(1) });
    const percent = await createEvent(testApp, { venue: `${place} 100%_open`, date: day(3) });

    expect(await walk(`venue=${place}`)).toEqual([upper.id, hall.id, percent.id]);
    expect(await walk(`venue=${encodeURIComponent(`${place} hall`)}`)).toEqual([hall.id]);
    expect(await walk(`venue=${encodeURIComponent(`${place} 100%_`)}`)).toEqual([percent.id]);
    expect(await walk(`venue=${encodeURIComponent(`${place}%hall`)}`)).toEqual([]);
  });

  it('finds text inside a word and ignores accents both ways, on either database', async () => {
    const place = token();
    const accented = await createEvent(testApp, { venue: `Café ${place}haus`, date: day(40) });
    const plain = await createEvent(testApp, { venue: `CAFE-${place}`, date: day(41) });

    expect(await walk(`venue=${encodeURIComponent(`FE ${place}HA`)}`)).toEqual([accented.id]);
    expect(await walk(`venue=${place.slice(3)}HAUS`)).toEqual([accented.id]);
    expect(await walk(`venue=${encodeURIComponent(`CAFÉ-${place.slice(0, 4)}`)}`)).toEqual([plain.id]);
    expect(await walk(`venue=${place.slice(2, 8)}`)).toEqual([accented.id, plain.id]);
    expect(await walk(`venue=${place}&from=${encodeURIComponent(day(41))}`)).toEqual([plain.id]);
  });

  it('finds a venue by a filter of fewer than three characters too, which no piece of a venue holds', async () => {
    const place = token();
    const events = [await createEvent(testApp, { venue: `Ré ${place}`, date: day(50) }), await createEvent(testApp, { venue: `Q${place}`, date: day(51) })];
    const between = `from=${encodeURIComponent(day(50))}&to=${encodeURIComponent(day(51))}`;
    const found = async (venue: string) => (await walk(`venue=${encodeURIComponent(venue)}&${between}`, 1)).filter((id) => events.some((event) => event.id === id));

    expect(await found('RE')).toEqual([events[0].id]);
    expect(await found('é ')).toEqual([events[0].id]);
    expect(await found('q')).toEqual([events[1].id]);
  });

  it('follows a PATCH of the venue or the date, paging in the new order', async () => {
    const [before, after] = [token(), token()];
    const moved = await createEvent(testApp, { venue: `${before} Arena`, date: day(60) });
    const stays = await createEvent(testApp, { venue: `${after} Dome`, date: day(61) });
    const later = await createEvent(testApp, { venue: `${after} Dome`, date: day(62) });

    await testApp.http().patch(`/events/${moved.id}`).set('Authorization', organizerAuth).send({ venue: `${after} Arena` }).expect(200);
    expect(await walk(`venue=${before}`)).toEqual([]);
    expect(await walk(`venue=${after}`, 1)).toEqual([moved.id, stays.id, later.id]);

    await testApp.http().patch(`/events/${moved.id}`).set('Authorization', organizerAuth).send({ date: day(63) }).expect(200);
    expect(await walk(`venue=${after}`, 1)).toEqual([stays.id, later.id, moved.id]);
    expect(await walk(`venue=${encodeURIComponent(`${after} arena`)}`)).toEqual([moved.id]);
  });
});

describe('GET /events?from=&to=', () => {
  it('bounds the date on both sides, inclusively, with any zone', async () => {
    const place = token();
    const events = [];
    for (const date of [day(10, 18), day(11, 18), day(12, 18), day(13, 18)]) events.push(await createEvent(testApp, { venue: place, date }));

    expect(await walk(`venue=${place}&from=${encodeURIComponent(day(11, 18))}`)).toEqual(events.slice(1).map((event) => event.id));
    expect(await walk(`venue=${place}&to=${encodeURIComponent('2031-01-13T19:00:00+01:00')}`)).toEqual(events.slice(0, 3).map((event) => event.id));
    expect(await walk(`venue=${place}&from=${encodeURIComponent(day(11, 18))}&to=${encodeURIComponent(day(12, 18))}`, 1)).toEqual(events.slice(1, 3).map((event) => event.id));
    expect(await walk(`venue=${place}&from=2020-01-01T00:00:00Z`)).toEqual(events.map((event) => event.id));
  });

  it('searches words within the bounds too', async () => {
    const word = token();
    const early = await createEvent(testApp, { name: word, date: day(20) });
    const late = await createEvent(testApp, { name: word, date: day(22) });
    expect(await walk(`q=${word}&from=${encodeURIComponent(day(21))}`)).toEqual([late.id]);
    expect(await walk(`q=${word}&to=${encodeURIComponent(day(21))}`)).toEqual([early.id]);
  });

  it.each([
    ['a from without a zone', 'from=2031-01-01T00:00:00', 'from must be an ISO 8601 date-time with a time zone'],
    ['a to before from', 'from=2031-01-02T00:00:00Z&to=2031-01-01T00:00:00Z', 'to must not be earlier than from'],
    ['a + sent unencoded, which reads as a space', 'from=2031-01-01T00:00:00+02:00', 'from must be an ISO 8601 date-time with a time zone'],
  ])('answers 400 VALIDATION_FAILED for %s', async (_label, query, message) => {
    const response = await list(query);
    expect(response.status).toBe(400);
    expect(response.body.message).toEqual([expect.stringContaining(message)]);
  });
});

describe('GET /events?available=true', () => {
  it('keeps only events with a seat available now in a public category on sale', async () => {
    const place = token();
    const open = await createEvent(testApp, { venue: place, date: day(1), ticket_categories: [{ name: 'A', price: 10, seats_limit: 2 }] });
    const soldOut = await createEvent(testApp, { venue: place, date: day(2), ticket_categories: [{ name: 'A', price: 10, seats_limit: 2, seats_sold: 2 }] });
    await createEvent(testApp, { venue: place, date: day(3), ticket_categories: [{ name: 'A', price: 10, seats_limit: 2, seats_sold: 2 }, { name: 'Secret', price: 10, seats_limit: 5, hidden: true }] });
    await createEvent(testApp, { venue: place, date: day(4), ticket_categories: [{ name: 'A', price: 10, seats_limit: 5, sales_start: day(0) }] });
    await createEvent(testApp, { venue: place, date: day(5), ticket_categories: [{ name: 'A', price: 10, seats_limit: 5, sales_end: new Date(Date.now() - 1000).toISOString() }] });
    const held = await createEvent(testApp, { venue: place, date: day(6), ticket_categories: [{ name: 'A', price: 10, seats_limit: 1 }] });
    const later = await createEvent(testApp, { venue: place, date: day(7), ticket_categories: [{ name: 'A', price: 10, seats_limit: 1 }, { name: 'B', price: 10, seats_limit: 1 }] });
    await testApp.http().post(`/events/${held.id}/holds`).send({ ticket_category: 'A', quantity: 1 }).expect(201);
    await testApp.http().post(`/events/${later.id}/book`).send({ ticket_category: 'A', quantity: 1 }).expect(201);

    expect(await walk(`venue=${place}&available=true`)).toEqual([open.id, later.id]);
    expect(await walk(`venue=${place}&available=false`)).toHaveLength(7);
    expect(soldOut.sold_out).toBe(true);
    expect((await list('available=yes')).status).toBe(400);
  });
});

describe('cursors of a search', () => {
  it('stay exact while events are added before and after the page', async () => {
    const word = token();
    const events = [];
    for (let i = 0; i < 4; i++) events.push(await createEvent(testApp, { name: word, date: day(30 + i) }));
    const first = await list(`q=${word}&limit=2`);
    const next = /<([^>]+)>; rel="next"/.exec(String(first.headers.link))?.[1] as string;

    await createEvent(testApp, { name: word, date: day(29) });
    const added = await createEvent(testApp, { name: word, date: day(31, 21) });
    const rest = await testApp.http().get(next);

    expect(first.body.map((event: Listed) => event.id)).toEqual([events[0].id, events[1].id]);
    expect(rest.body.map((event: Listed) => event.id)).toEqual([added.id, events[2].id]);
  });

  it('carry their filters in the Link header, and are refused with other filters or none', async () => {
    const word = token();
    for (let i = 0; i < 3; i++) await createEvent(testApp, { name: word, venue: 'Hall', date: day(40 + i) });
    const first = await list(`q=${word}&venue=hall&limit=1`);
    const link = String(first.headers.link);
    const cursor = /cursor=([^&>]+)/.exec(link)?.[1] as string;
    const plain = /cursor=([^&>]+)/.exec(String((await list('limit=1')).headers.link))?.[1] as string;

    expect(link).toMatch(new RegExp(`^</events\\?limit=1&q=${word}&venue=hall&cursor=[A-Za-z0-9_-]+>; rel="next"$`));
    expect((await list(`q=${word}&venue=HALL&limit=1&cursor=${cursor}`)).status).toBe(200);
    for (const query of [`q=${word}&limit=1&cursor=${cursor}`, `q=${word}&venue=hal&limit=1&cursor=${cursor}`, `limit=1&cursor=${cursor}`, `q=${word}&venue=hall&limit=1&cursor=${plain}`]) {
      const response = await list(query);
      expect({ query, status: response.status, message: response.body.message }).toEqual({ query, status: 400, message: ['cursor is not valid; use the one from the Link header of the previous page'] });
    }
  });

  it('still refuse unknown parameters', async () => {
    const response = await list('title=jazz');
    expect(response.status).toBe(400);
    expect(response.body.message).toEqual(['property title should not exist']);
  });
});
