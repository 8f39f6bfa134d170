import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, registerDecorator, type ValidationArguments } from 'class-validator';
import { searchTerms } from '../../common/search-terms.js';
import { IsZonedIsoDateTime, parseZonedIsoDate } from '../../common/validators.js';
import { ListEventsQuery } from './list-events.query.js';

/** Each word of `q` is one more index lookup per event looked at. */
export const MAX_SEARCH_WORDS = 10;

function HasSearchWords(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'hasSearchWords',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: ({ property }: ValidationArguments) => `${property} must hold 1 to ${MAX_SEARCH_WORDS} words of letters or digits` },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return true;
          const words = searchTerms(value).length;
          return words >= 1 && words <= MAX_SEARCH_WORDS;
        },
      },
    });
}

function IsNotBeforeFrom(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isNotBeforeFrom',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: ({ property }: ValidationArguments) => `${property} must not be earlier than from` },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const to = parseZonedIsoDate(value);
          const from = parseZonedIsoDate((args.object as Record<string, unknown>).from);
          return to === undefined || from === undefined || to.getTime() >= from.getTime();
        },
      },
    });
}

/**
 * GET /events: the upcoming events, paged, optionally narrowed. A cursor holds the filters it
 * was made under, and is refused with any others.
 */
export class SearchEventsQuery extends ListEventsQuery {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    example: 'jazz berlin',
    description: `Up to ${MAX_SEARCH_WORDS} words that must all appear, as whole words, in the name, venue or details, ignoring case and accents ("cafe" finds "Café").`,
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @HasSearchWords()
  q?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'Stadium', description: 'Text the venue contains, ignoring case and accents ("cafe" finds "Café Noir").' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  venue?: string;

  @ApiPropertyOptional({ format: 'date-time', description: "Events from this instant on (inclusive); ISO 8601 with a zone (send + as %2B)." })
  @IsOptional()
  @IsString()
  @IsZonedIsoDateTime()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events until this instant (inclusive); ISO 8601 with a zone, not before from.' })
  @IsOptional()
  @IsString()
  @IsZonedIsoDateTime()
  @IsNotBeforeFrom()
  to?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only events with a seat available right now in a public category on sale; false (the same as leaving it out): every event.' })
  @IsOptional()
  @IsIn(['true', 'false'])
  available?: 'true' | 'false';
}
