import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { mapTicket, TicketResponse } from '../bookings/ticket.mapper.js';
import type { CheckIn, CheckInSummary } from './check-in.service.js';
import type { IssuedScannerKey } from './scanner-keys.service.js';
import type { ScannerKey } from './scanner-key.entity.js';

export class CheckInDto {
  @ApiProperty({ minLength: 1, maxLength: 64, example: 'q3JwYkZ0dVh5c0hKQm9wUQ', description: 'The ticket code, as read from its QR code.' })
  @IsString()
  @Length(1, 64)
  code!: string;
}

export class CheckInResponse {
  @ApiProperty({ enum: ['ok'] })
  result!: 'ok';

  @ApiProperty({ type: TicketResponse })
  ticket!: TicketResponse;

  @ApiProperty({ format: 'date-time', example: '2027-06-15T17:42:10.031Z' })
  checked_in_at!: string;
}

export function mapCheckIn({ ticket, event }: CheckIn): CheckInResponse {
  const mapped = mapTicket(ticket, event);
  return { result: 'ok', ticket: mapped, checked_in_at: mapped.checked_in_at as string };
}

export class CategoryCheckInsResponse {
  @ApiProperty({ example: 'VIP' })
  ticket_category!: string;

  @ApiProperty({ type: 'integer', example: 50, description: 'Valid tickets.' })
  tickets!: number;

  @ApiProperty({ type: 'integer', example: 12 })
  checked_in!: number;
}

export class CheckInSummaryResponse {
  @ApiProperty({ type: 'integer', example: 150, description: 'Valid tickets of the event.' })
  tickets!: number;

  @ApiProperty({ type: 'integer', example: 37 })
  checked_in!: number;

  @ApiProperty({ type: [CategoryCheckInsResponse], description: 'Every category of the event, those without tickets too.' })
  by_category!: CategoryCheckInsResponse[];
}

export function mapCheckInSummary({ event, byCategory }: CheckInSummary): CheckInSummaryResponse {
  const counted = new Map(byCategory.map((category) => [category.categoryId, category]));
  const by_category = [...event.ticketCategories]
    .sort((a, b) => a.id - b.id)
    .map((category) => ({ ticket_category: category.name, tickets: counted.get(category.id)?.tickets ?? 0, checked_in: counted.get(category.id)?.checkedIn ?? 0 }));
  return {
    tickets: by_category.reduce((sum, category) => sum + category.tickets, 0),
    checked_in: by_category.reduce((sum, category) => sum + category.checked_in, 0),
    by_category,
  };
}

export class ScannerKeyResponse {
  @ApiProperty({ example: 'sk_3fGh1kLm', description: "The key's first characters: name it by these to revoke it." })
  prefix!: string;

  @ApiProperty({ format: 'date-time', example: '2027-06-01T09:00:00.000Z' })
  created_at!: string;
}

export class IssuedScannerKeyResponse extends ScannerKeyResponse {
  @ApiProperty({ example: 'sk_3fGh1kLmq2Vb9Xe7Tz0Wn4Pa6Rc8Ud5Sf1Yh3Ji2Ko0', description: 'Shown this once; only its SHA-256 is stored.' })
  key!: string;
}

export function mapScannerKey(key: ScannerKey): ScannerKeyResponse {
  return { prefix: key.keyPrefix, created_at: key.createdAt.toISOString() };
}

export function mapIssuedScannerKey({ key, prefix, createdAt }: IssuedScannerKey): IssuedScannerKeyResponse {
  return { key, prefix, created_at: createdAt.toISOString() };
}
