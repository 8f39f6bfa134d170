/** Every kind of change announced through the outbox, as webhook receivers subscribe to them. */
export const MESSAGE_TYPES = [
  'event.created',
  'event.updated',
  'event.cancelled',
  'booking.confirmed',
  'booking.cancelled',
  'hold.created',
  'hold.released',
  'hold.expired',
  'ticket.checked_in',
  'category.sold_out',
  'waitlist.offered',
  'waitlist.expired',
] as const;

export type MessageType = (typeof MESSAGE_TYPES)[number];
