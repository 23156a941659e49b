import { IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, Min } from 'class-validator';
import { NAME_PATTERN } from './agent.messages';
import { OptionalObject, OptionalUuid } from '../fields';

/** The connectors integration-manager ships (it checks the kind itself: 422 naming `connector`). */
export const CONNECTOR_KINDS = ['webhook', 'http', 'postgres', 'mysql'];

/** `POST /v1/connections`: a configured instance of a connector (credentials are encrypted at rest). */
export class CreateConnectionCommand {
  @Matches(NAME_PATTERN, { message: 'name must be lowercase letters, digits and dashes' })
  name!: string;

  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'connector must name a connector kind' })
  connector!: string;

  @IsObject()
  config!: Record<string, unknown>;

  @OptionalObject()
  secrets?: Record<string, string>;
}

/** A workflow `action:` step, on baton.integration.tasks; the result comes back as a TaskResultMessage. */
export class ActionTaskMessage {
  @IsUUID()
  task_id!: string;

  @IsInt()
  @Min(1)
  attempt!: number;

  @IsString()
  action!: string;

  @IsOptional()
  @IsString()
  connection?: string;

  @IsOptional()
  input?: unknown;

  @OptionalUuid()
  run_id?: string;

  @IsOptional()
  @IsString()
  step?: string;
}

export interface ConnectionView {
  name: string;
  connector: string;
  config: Record<string, unknown>;
  has_secrets: boolean;
  created_at: string;
  updated_at?: string;
}

export interface DeliveryView {
  id: string;
  action: string;
  connection: string;
  status: string;
  http_status: number | null;
  error: string | null;
  run_id: string | null;
  created_at: string;
}

export class ListDeliveriesQuery {
  @OptionalUuid()
  run_id?: string;
}

export class ConnectionNameQuery {
  @Matches(NAME_PATTERN)
  name!: string;
}
