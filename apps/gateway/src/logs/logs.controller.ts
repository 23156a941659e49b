import {
  createEnvelope,
  DomainError,
  ErrorCodes,
  ListLogsQuery,
  MessageTypes,
  PLATFORM_ADMIN,
  redactSecrets,
  ShipLogsRequest,
  Topics,
  validateInto,
  type LogRecordsMessage,
  type LogRecordView,
  type Page,
} from '@baton/contracts';
import { BatonKafka, type OutgoingMessage } from '@baton/kafka';
import { LOGGER, PLATFORM_LOG_WORKSPACE } from '@baton/telemetry';
import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Post,
  Query,
  Req,
  Res,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';
import { StreamSlots } from '../rate-limits/stream-slots';
import { formatLogSse, LogFollower } from './log-follower';

const POLL_INTERVAL_MS = 500;
const KEEP_ALIVE_MS = 15_000;
const MAX_FAILED_POLLS = 20;
/** Records per Kafka message: a full POST (500 records) is a few messages, each far below 1 MiB. */
const RECORDS_PER_MESSAGE = 50;

/**
 * Logs in one place (docs/monitoring.md): SDK clients ship structured records
 * here; they are redacted, then stored by event-manager; reading them is one
 * query of the store, or a stream of it (follow mode).
 */
@ApiTags('logs')
@ApiBearerAuth()
@Controller('v1/logs')
export class LogsController implements OnModuleDestroy {
  private closing = false;
  private readonly streams = new Set<Promise<void>>();

  constructor(
    private readonly platform: PlatformClient,
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly slots: StreamSlots,
  ) {}

  /** Accepts up to 500 records; they are searchable within seconds. */
  @Post()
  @HttpCode(202)
  @ApiBody({ schema: dtoSchemaRef(ShipLogsRequest) })
  async ship(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<{ accepted: number }> {
    const request = validateInto(ShipLogsRequest, body);
    // Again here, whatever the client did: a secret never reaches the store.
    const records = request.records.map((record) => redactSecrets({ ...record }));
    const messages: OutgoingMessage[] = [];
    for (let i = 0; i < records.length; i += RECORDS_PER_MESSAGE) {
      messages.push({
        topic: Topics.logs,
        key: caller.workspaceId,
        envelope: createEnvelope<LogRecordsMessage>({
          type: MessageTypes.logRecords,
          source: `api/${caller.principal}`,
          workspaceId: caller.workspaceId,
          correlationId: caller.correlationId,
          data: { source: 'sdk', records: records.slice(i, i + RECORDS_PER_MESSAGE) },
        }),
      });
    }
    await this.kafka.publish(messages);
    return { accepted: records.length };
  }

  /**
   * Newest first with cursor paging. `follow=true` answers a text/event-stream
   * instead: the last records, then each new one as it is stored
   * (`Last-Event-ID` resumes). `scope=platform` (platform admins) reads the
   * services' records that belong to no workspace.
   */
  @Get()
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({ description: 'a page of records, or with follow=true a text/event-stream' })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'follow: resume after it' })
  async list(
    @Query() query: Record<string, string>,
    @Headers('last-event-id') lastEventId: string | undefined,
    @CurrentCaller() caller: Caller,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const { follow, scope, ...rest } = query;
    const filter = validateInto(ListLogsQuery, rest, 'query', { convertTypes: true });
    const reader = this.readerFor(caller, scope);
    const list = (q: ListLogsQuery) =>
      this.platform.send<Page<LogRecordView>>(
        Topics.eventCommands,
        MessageTypes.logList,
        q,
        reader,
      );
    if (follow === undefined || follow === 'false') {
      response.status(200).json(await list(filter));
      return;
    }
    if (follow !== 'true') throw DomainError.invalid('follow', 'must be true or false');
    await this.stream(new LogFollower(filter, list, lastEventId), caller, request, response);
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.streams]);
  }

  /** Whose records are read: the caller's workspace, or the platform's for a platform admin. */
  private readerFor(caller: Caller, scope: string | undefined): Caller {
    if (scope === undefined || scope === 'workspace') return caller;
    if (scope !== 'platform') throw DomainError.invalid('scope', 'must be workspace or platform');
    if (!caller.roles.includes(PLATFORM_ADMIN)) {
      throw new DomainError(ErrorCodes.forbidden, 'scope=platform is for platform admins');
    }
    return { ...caller, workspaceId: PLATFORM_LOG_WORKSPACE };
  }

  private async stream(
    follower: LogFollower,
    caller: Caller,
    request: Request,
    response: Response,
  ): Promise<void> {
    // The workspace's cap on open streams, over every replica: a 429 before the stream starts.
    const release = await this.slots.open(caller);
    let open = true;
    request.on('close', () => {
      open = false;
      release();
    });
    response.status(200).set({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.flushHeaders();
    const done = this.follow(follower, response, () => open);
    this.streams.add(done);
    try {
      await done;
    } finally {
      this.streams.delete(done);
      release();
    }
  }

  private async follow(
    follower: LogFollower,
    response: Response,
    isOpen: () => boolean,
  ): Promise<void> {
    let failures = 0;
    let lastWrite = Date.now();
    while (isOpen() && !this.closing) {
      try {
        for (const record of await follower.next()) {
          response.write(formatLogSse(record));
          lastWrite = Date.now();
        }
        failures = 0;
      } catch (error) {
        failures++;
        this.logger.info({ err: { message: (error as Error).message } }, 'reading logs failed');
        if (failures >= MAX_FAILED_POLLS) {
          response.write(
            `event: error\ndata: ${JSON.stringify({ detail: 'the log store is not answering' })}\n\n`,
          );
          break;
        }
      }
      if (Date.now() - lastWrite >= KEEP_ALIVE_MS) {
        response.write(': keep-alive\n\n');
        lastWrite = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
    response.end();
  }
}
