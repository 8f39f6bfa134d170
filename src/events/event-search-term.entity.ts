import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One word of an event's name, venue or details (see common/search-terms.ts), with the event's
 * date beside it: a search for a word walks idx_event_search_terms_term_date in (date, id) order
 * from the cursor on, so a page costs what a page of the plain list costs however many events
 * there are. Written with the event, in its transaction.
 */
@Entity({ name: 'event_search_terms' })
@Index('idx_event_search_terms_term_date', ['term', 'date', 'eventId'])
export class EventSearchTerm {
  @PrimaryColumn({ name: 'event_id', type: 'integer' })
  eventId!: number;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  term!: string;

  @Column({ type: 'datetime', precision: 3 })
  date!: Date;
}
