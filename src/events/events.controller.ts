import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { CreateEventDto } from './dto/create-event.dto.js';
import { ListEventsQuery } from './dto/list-events.query.js';
import { mapEvent, type EventResponse } from './event.mapper.js';
import { EventsService, type EventPage } from './events.service.js';

@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  async create(@Body() dto: CreateEventDto): Promise<EventResponse> {
    return mapEvent(await this.events.create(dto));
  }

  @Get()
  async list(@Query() query: ListEventsQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<EventResponse[]> {
    const page = await this.events.findUpcoming(query);
    const link = nextPageLink(page);
    if (link) void reply.header('Link', link);
    return page.events.map(mapEvent);
  }

  @Get(':id')
  async findOne(@Param('id', ParseIdPipe) id: number): Promise<EventResponse> {
    return mapEvent(await this.events.findOne(id));
  }
}

/** RFC 8288 link to the next page, relative to this resource so it survives proxies and prefixes. */
function nextPageLink({ nextCursor, limit }: EventPage): string | undefined {
  if (nextCursor === undefined) return undefined;
  return `</events?limit=${limit}&cursor=${nextCursor}>; rel="next"`;
}
