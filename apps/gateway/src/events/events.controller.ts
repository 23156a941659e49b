import {
  createEnvelope,
  EventIdQuery,
  ListEventsQuery,
  MessageTypes,
  Topics,
  validateInto,
  type StoredEventView,
} from '@baton/contracts';
import { BatonKafka } from '@baton/kafka';
import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';
import { ResourceRoutes } from '../resources/resource-routes';
import { PublishEventRequest } from './publish-event.request';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class EventsController extends ResourceRoutes({
  topic: Topics.eventCommands,
  list: MessageTypes.eventList,
  listQuery: ListEventsQuery,
}) {
  constructor(
    platform: PlatformClient,
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
  ) {
    super(platform);
  }

  /** Publishes a user event to baton.events.ingress, exactly as a Kafka producer would. */
  @Post()
  @HttpCode(202)
  @ApiBody({ schema: dtoSchemaRef(PublishEventRequest) })
  async publish(@Body() body: unknown, @CurrentCaller() caller: Caller): Promise<{ id: string }> {
    const request = validateInto(PublishEventRequest, body);
    const envelope = createEnvelope({
      id: request.id,
      type: request.type,
      source: request.source ?? `api/${caller.principal}`,
      subject: request.subject,
      workspaceId: caller.workspaceId,
      correlationId: caller.correlationId,
      data: request.data,
      // event-manager audits the publish, in the transaction that stores the event.
      principal: caller.principal,
      credential: caller.credential && `${caller.credential.kind}:${caller.credential.id}`,
    });
    await this.kafka.publish([
      { topic: Topics.eventsIngress, key: envelope.subject ?? envelope.id, envelope },
    ]);
    return { id: envelope.id };
  }

  @Get(':id')
  get(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<StoredEventView> {
    const query = validateInto(EventIdQuery, { id }, 'path');
    // No key: a read of a stored event needs no order with other commands.
    return this.commands.send(MessageTypes.eventGet, query, caller);
  }
}
