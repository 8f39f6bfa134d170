import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One piece of an event's venue key (see venueGrams in common/search-terms.ts), with the event's
 * date beside it: a venue filter walks its rarest piece's entries of
 * idx_event_venue_grams_gram_date in (date, id) order, so a rare venue costs a page of the list
 * instead of a walk past every event before its matches. Written with the event, in its transaction.
 */
@Entity({ name: 'event_venue_grams' })
@Index('idx_event_venue_grams_gram_date', ['gram', 'date', 'eventId'])
export class EventVenueGram {
  @PrimaryColumn({ name: 'event_id', type: 'integer' })
  eventId!: number;

  @PrimaryColumn({ type: 'varchar', length: 3 })
  gram!: string;

  @Column({ type: 'datetime', precision: 3 })
  date!: Date;
}
