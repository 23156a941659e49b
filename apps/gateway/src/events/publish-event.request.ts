import { IsDefined, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** `POST /v1/events`: a user event, as a CloudEvent without the platform attributes. */
export class PublishEventRequest {
  @Matches(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,199}$/, {
    message: 'type must be a dotted event type like order.created',
  })
  type!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  id?: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  source?: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  subject?: string;

  @IsDefined()
  data!: unknown;
}
