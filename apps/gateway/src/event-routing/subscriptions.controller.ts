import {
  CreateSubscriptionCommand,
  DeadLettersQuery,
  EventRoutingMessageTypes as Types,
  RedeliverDeadLettersCommand,
  PageQuery,
  SubscriptionIdQuery,
  Topics,
  type EventDeliveryView,
  type Page,
  type SubscriptionView,
} from '@baton/contracts';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';
import { ResourceRoutes } from '../resources/resource-routes';
import { WorkflowReferences } from './workflow-references';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/subscriptions')
export class SubscriptionsController extends ResourceRoutes({
  topic: Topics.eventCommands,
  key: { id: SubscriptionIdQuery },
  list: Types.subscriptionList,
  listQuery: PageQuery,
  get: Types.subscriptionGet,
  remove: Types.subscriptionDelete,
}) {
  constructor(
    platform: PlatformClient,
    private readonly workflows: WorkflowReferences,
  ) {
    super(platform);
  }

  /** Subscribes an agent, a workflow, a webhook or a Kafka topic to event types. */
  @Post()
  @ApiBody({ schema: dtoSchemaRef(CreateSubscriptionCommand) })
  async create(
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SubscriptionView> {
    const command = this.commands.body(
      CreateSubscriptionCommand,
      body,
      idempotencyKey ? { idempotency_key: idempotencyKey } : {},
    );
    await this.workflows.requireExisting(caller, [{ destination: command, field: '' }]);
    return this.commands.create<SubscriptionView>(
      Types.subscriptionCreate,
      command,
      caller,
      response,
      { field: 'subscription', location: (subscription) => `/v1/subscriptions/${subscription.id}` },
    );
  }

  /** Stops delivering; matching events keep queueing (the lag grows) until resume. */
  @Post(':id/pause')
  @HttpCode(200)
  pause(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<SubscriptionView> {
    return this.send(Types.subscriptionPause, id, caller);
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<SubscriptionView> {
    return this.send(Types.subscriptionResume, id, caller);
  }

  /** Deliveries that failed every attempt (or could not be made at all), with the reason. */
  @Get(':id/dead-letters')
  deadLetters(
    @Param('id') id: string,
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<EventDeliveryView>> {
    return this.commands.about(
      Types.subscriptionDeadLetters,
      DeadLettersQuery,
      query,
      { id },
      caller,
    );
  }

  /**
   * Puts dead letters back in line, e.g. once the receiver is fixed: all of
   * them, or `{ delivery_ids: [...] }` from the dead-letter list.
   */
  @Post(':id/dead-letters/redeliver')
  @HttpCode(200)
  @ApiBody({ schema: dtoSchemaRef(RedeliverDeadLettersCommand) })
  redeliver(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<{ requeued: number }> {
    const command = this.commands.body(RedeliverDeadLettersCommand, body, { id });
    return this.commands.send(Types.subscriptionRedeliver, command, caller, id);
  }

  private send<T>(type: string, id: string, caller: Caller): Promise<T> {
    return this.commands.at<T>(type, SubscriptionIdQuery, { id }, caller);
  }
}
