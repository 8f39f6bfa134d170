import { Controller, Get, NotFoundException, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { ErrorCode } from '../common/error-code.js';
import { ParseIdPipe } from '../http/parse-id.pipe.js';
import { ApiErrors, ApiIdParam, ApiTicketCodeParam } from '../openapi/api-decorators.js';
import { CurrentOrganizer, OrganizerOnly } from '../organizers/organizer.guard.js';
import { ATTENDEE_COLUMNS } from './attendees-csv.js';
import { mapTicketDetails, TicketDetailsResponse } from './ticket-details.mapper.js';
import { isQrFormat, QR_CONTENT_TYPES, QR_FORMATS, TicketsService } from './tickets.service.js';

@ApiTags('tickets')
@Controller()
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Get('tickets/:code')
  @ApiOperation({ summary: 'A ticket, looked up by its code: the code is all a holder needs (the buyer’s e-mail stays out)' })
  @ApiTicketCodeParam('The ticket code.')
  @ApiOkResponse({ type: TicketDetailsResponse })
  @ApiErrors(ErrorCode.TicketNotFound)
  async findOne(@Param('code') code: string): Promise<TicketDetailsResponse> {
    return mapTicketDetails(await this.tickets.findByCode(code));
  }

  @Get('tickets/:code/qr.:format')
  @ApiOperation({ summary: 'The ticket as a QR code, PNG or SVG; it encodes the ticket code alone' })
  @ApiTicketCodeParam('The ticket code.')
  @ApiParam({ name: 'format', schema: { type: 'string', enum: [...QR_FORMATS] } })
  @ApiProduces(...Object.values(QR_CONTENT_TYPES))
  @ApiOkResponse({
    description: 'The image.',
    content: { [QR_CONTENT_TYPES.png]: { schema: { type: 'string', format: 'binary' } }, [QR_CONTENT_TYPES.svg]: { schema: { type: 'string' } } },
  })
  @ApiErrors(ErrorCode.TicketNotFound)
  async qrCode(@Param('code') code: string, @Param('format') format: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer | string> {
    if (!isQrFormat(format)) throw new NotFoundException();
    const image = await this.tickets.qrCode(code, format);
    void reply.type(QR_CONTENT_TYPES[format]);
    return image;
  }

  @Get('events/:id/attendees.csv')
  @OrganizerOnly()
  @ApiOperation({ summary: "Every ticket of an event you own with its booking's buyer, as CSV (cancelled tickets too)" })
  @ApiIdParam('The event id.')
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: `RFC 4180 CSV with a header row: ${ATTENDEE_COLUMNS.join(', ')}. Streamed; typed names and emails a spreadsheet would run as a formula are prefixed with a single quote, while references and ticket codes stay as issued.`,
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  @ApiErrors(ErrorCode.EventNotFound)
  async attendees(@Param('id', ParseIdPipe) eventId: number, @CurrentOrganizer() organizerId: number): Promise<StreamableFile> {
    const lines = await this.tickets.attendeeList(eventId, organizerId);
    return new StreamableFile(Readable.from(lines), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="event-${eventId}-attendees.csv"` });
  }
}
