import { ApiProperty } from '@nestjs/swagger';
import { centsToAmount } from '../common/money.js';
import { CodeKind } from '../inventory/event-code.entity.js';
import type { CodeDetails } from './codes.service.js';

export class CodeResponse {
  @ApiProperty({ example: 'SUMMER25', description: 'In capitals; buyers may type it in any case.' })
  code!: string;

  @ApiProperty({ enum: CodeKind, example: CodeKind.Discount })
  kind!: CodeKind;

  @ApiProperty({ type: 'integer', nullable: true, example: 25 })
  discount_percent!: number | null;

  @ApiProperty({ type: 'number', nullable: true, example: null, description: "Per ticket, in the event's currency." })
  discount_amount!: number | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 100, description: 'null: no limit.' })
  max_uses!: number | null;

  @ApiProperty({ type: 'integer', example: 0, description: 'Confirmed bookings and active holds that use it now: a released, expired or cancelled one gives its use back.' })
  uses!: number;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null })
  valid_from!: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null })
  valid_until!: string | null;

  @ApiProperty({ type: [String], nullable: true, example: null, description: 'The categories it applies to; null: every category of the event, later ones too.' })
  ticket_categories!: string[] | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null, description: 'When it was disabled (DELETE); null while it may be used.' })
  disabled_at!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T18:16:48.960Z' })
  created_at!: string;
}

export function mapCode({ code, event }: CodeDetails): CodeResponse {
  return {
    code: code.code,
    kind: code.kind,
    discount_percent: code.discountPercent,
    discount_amount: code.discountAmountCents === null ? null : centsToAmount(code.discountAmountCents),
    max_uses: code.maxUses,
    uses: code.uses,
    valid_from: code.validFrom?.toISOString() ?? null,
    valid_until: code.validUntil?.toISOString() ?? null,
    ticket_categories: code.ticketCategoryIds === null ? null : code.ticketCategoryIds.map((id) => nameOf(event, id)),
    disabled_at: code.disabledAt?.toISOString() ?? null,
    created_at: code.createdAt.toISOString(),
  };
}

function nameOf({ id: eventId, ticketCategories }: CodeDetails['event'], categoryId: number): string {
  const category = ticketCategories.find((candidate) => candidate.id === categoryId);
  if (!category) throw new Error(`Event ${eventId} has no ticket category ${categoryId}`);
  return category.name;
}
