import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/error-code.js';
import { ParseIdPipe } from '../http/parse-id.pipe.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { ApiErrors, ApiIdParam } from '../openapi/api-decorators.js';
import { CurrentOrganizer, OrganizerOnly } from '../organizers/organizer.guard.js';
import { IssuedScannerKeyResponse, mapIssuedScannerKey, mapScannerKey, ScannerKeyResponse } from './check-in.dto.js';
import { ScannerKeysService } from './scanner-keys.service.js';

@ApiTags('check-in')
@Controller('events/:id/scanner-keys')
export class ScannerKeysController {
  constructor(private readonly keys: ScannerKeysService) {}

  @Post()
  @OrganizerOnly()
  @Idempotent()
  @ApiOperation({ summary: 'A key for door staff of an event you own: it checks tickets in at this event and does nothing else' })
  @ApiIdParam('The event id.')
  @ApiCreatedResponse({ type: IssuedScannerKeyResponse })
  @ApiErrors(ErrorCode.EventNotFound)
  async issue(@Param('id', ParseIdPipe) eventId: number, @CurrentOrganizer() organizerId: number): Promise<IssuedScannerKeyResponse> {
    return mapIssuedScannerKey(await this.keys.issue(eventId, organizerId));
  }

  @Get()
  @OrganizerOnly()
  @ApiOperation({ summary: "The event's scanner keys that are not revoked, by prefix" })
  @ApiIdParam('The event id.')
  @ApiOkResponse({ type: [ScannerKeyResponse] })
  @ApiErrors(ErrorCode.EventNotFound)
  async list(@Param('id', ParseIdPipe) eventId: number, @CurrentOrganizer() organizerId: number): Promise<ScannerKeyResponse[]> {
    return (await this.keys.live(eventId, organizerId)).map(mapScannerKey);
  }

  @Delete(':prefix')
  @HttpCode(204)
  @OrganizerOnly()
  @ApiOperation({ summary: 'Revoke a scanner key: it stops working at once' })
  @ApiIdParam('The event id.')
  @ApiParam({ name: 'prefix', schema: { type: 'string', example: 'sk_3fGh1kLm' }, description: "The key's prefix, as the list shows it." })
  @ApiNoContentResponse({ description: 'Revoked.' })
  @ApiErrors(ErrorCode.EventNotFound, ErrorCode.ScannerKeyNotFound)
  async revoke(@Param('id', ParseIdPipe) eventId: number, @Param('prefix') prefix: string, @CurrentOrganizer() organizerId: number): Promise<void> {
    await this.keys.revoke(eventId, organizerId, prefix);
  }
}
