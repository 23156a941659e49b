import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { IntBetween, OptionalObject, OptionalText, OptionalTimestamp } from '../fields';

/** Levels a stored record may have, lowest first: `level=warn` asks for warn and error. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Bounds on what one record and one shipment may hold (a hostile client cannot fill the store). */
export const LOG_LIMITS = {
  recordsPerBatch: 500,
  messageChars: 4_000,
  idChars: 200,
  /** The record's `fields`, serialized as JSON. */
  fieldsBytes: 16_384,
} as const;

/** Rejects an object whose JSON is larger than `bytes`. */
function MaxJsonBytes(bytes: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxJsonBytes',
      validator: {
        validate: (value: unknown) =>
          value === undefined || Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8') <= bytes,
        defaultMessage: () => `must be at most ${bytes} bytes as JSON`,
      },
    },
    options,
  );
}

/** One structured record as a client sends it (the seed's `orchestrate.logger.info(message, fields)`). */
export class LogRecordInput {
  /** When it was written; the platform's arrival time when absent. */
  @OptionalTimestamp()
  time?: string;

  @IsIn(LOG_LEVELS)
  level!: LogLevel;

  @IsString()
  @MaxLength(LOG_LIMITS.messageChars)
  message!: string;

  @OptionalText(LOG_LIMITS.idChars)
  agent_id?: string;

  @OptionalText(LOG_LIMITS.idChars)
  run_id?: string;

  @OptionalText(LOG_LIMITS.idChars)
  step?: string;

  @OptionalText(LOG_LIMITS.idChars)
  task_id?: string;

  @OptionalText(LOG_LIMITS.idChars)
  request_id?: string;

  @OptionalText(LOG_LIMITS.idChars)
  trace_id?: string;

  @OptionalObject()
  @MaxJsonBytes(LOG_LIMITS.fieldsBytes)
  fields?: Record<string, unknown>;
}

/** The body of `POST /v1/logs`. */
export class ShipLogsRequest {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LOG_LIMITS.recordsPerBatch)
  @ValidateNested({ each: true })
  @Type(() => LogRecordInput)
  records!: LogRecordInput[];
}

/**
 * What travels on baton.logs: records of one workspace from one source
 * (`sdk` for what clients POSTed, `baton-<service>` for a service's own),
 * already redacted.
 */
export class LogRecordsMessage {
  @IsString()
  @MaxLength(100)
  source!: string;

  @IsArray()
  @ArrayMaxSize(LOG_LIMITS.recordsPerBatch)
  @ValidateNested({ each: true })
  @Type(() => LogRecordInput)
  records!: LogRecordInput[];
}

/** `GET /v1/logs`: newest first, each filter optional; `after` is what follow mode polls with. */
export class ListLogsQuery {
  @OptionalText(LOG_LIMITS.idChars)
  agent_id?: string;

  @OptionalText(LOG_LIMITS.idChars)
  run_id?: string;

  @OptionalText(LOG_LIMITS.idChars)
  request_id?: string;

  @OptionalText(LOG_LIMITS.idChars)
  step?: string;

  /** `sdk`, or a service (`baton-workflow-engine`). */
  @OptionalText(100)
  source?: string;

  /** The lowest level returned. */
  @IsOptional()
  @IsIn(LOG_LEVELS)
  level?: LogLevel;

  /** Words the message must contain (case-insensitive). */
  @OptionalText(200)
  q?: string;

  @OptionalText(200)
  cursor?: string;

  /** Only records stored after this record id, oldest first (follow mode). */
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'must be a record id' })
  after?: string;

  @IsOptional()
  @IntBetween(1, 500)
  limit?: number;
}

/** A stored record as the API answers it. */
export interface LogRecordView {
  id: string;
  time: string;
  received_at: string;
  level: LogLevel;
  message: string;
  source: string;
  agent_id: string | null;
  run_id: string | null;
  step: string | null;
  task_id: string | null;
  request_id: string | null;
  trace_id: string | null;
  fields: Record<string, unknown>;
}
