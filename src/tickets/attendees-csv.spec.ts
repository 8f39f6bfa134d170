import type { Event } from '../events/event.entity.js';
import type { Ticket } from '../inventory/ticket.entity.js';
import { attendeeLine } from './attendees-csv.js';

const event = { id: 1, ticketCategories: [{ id: 7, name: '=Backstage' }] } as Pick<Event, 'id' | 'ticketCategories'>;

function ticket(fields: Partial<Ticket>): Ticket {
  return { reference: 'NJ5APXK278PM', code: 'iQEJPEZBDzVvl7i8rRmQgg', ticketCategoryId: 7, attendeeName: null, status: 'valid', checkedInAt: null, ...fields } as Ticket;
}

describe('attendeeLine', () => {
  it('keeps a ticket code that starts with "-" as issued, so a scanner can match it', () => {
    const line = attendeeLine({ ticket: ticket({ code: '-K9i0GEOevWsJFC6PzxbhQ' }), customerName: null, customerEmail: null }, event);

    expect(line.split(',')[1]).toBe('-K9i0GEOevWsJFC6PzxbhQ');
  });

  it('neutralises typed text a spreadsheet would run as a formula, the category name too', () => {
    const line = attendeeLine({ ticket: ticket({ attendeeName: '-2' }), customerName: '@SUM(A1)', customerEmail: '+x@example.com' }, event);

    expect(line).toBe(`NJ5APXK278PM,iQEJPEZBDzVvl7i8rRmQgg,"'=Backstage","'-2","'@SUM(A1)","'+x@example.com",valid,\r\n`);
  });

  it('quotes a field with a comma or a quote, and leaves an empty value an empty cell', () => {
    const line = attendeeLine({ ticket: ticket({ attendeeName: 'Ada, "Countess"' }), customerName: '', customerEmail: null }, event);

    expect(line).toBe(`NJ5APXK278PM,iQEJPEZBDzVvl7i8rRmQgg,"'=Backstage","Ada, ""Countess""",,,valid,\r\n`);
  });
});
