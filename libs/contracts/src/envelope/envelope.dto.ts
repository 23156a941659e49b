import {
  Equals,
  IsDefined,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import type { Envelope } from './envelope';

export const WORKSPACE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** class-validator rules for the envelope; consumers validate every message at the boundary. */
export class EnvelopeDto implements Envelope {
  @Equals('1.0')
  specversion!: '1.0';

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  id!: string;

  @IsString()
  @Matches(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,199}$/, { message: 'type must be a dotted event type' })
  type!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  source!: string;

  @IsISO8601()
  time!: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  subject?: string;

  @Equals('application/json')
  datacontenttype!: 'application/json';

  @IsDefined()
  data!: unknown;

  @Matches(WORKSPACE_ID_PATTERN, { message: 'workspaceid must be a workspace slug' })
  workspaceid!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  correlationid!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  causationid?: string;

  @IsOptional()
  @Matches(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, {
    message: 'traceparent must be a W3C traceparent',
  })
  traceparent?: string;
}
