import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { ConnectionView } from './integration.messages';
import { ListAuditQuery } from './security.messages';

/** `GET /v1/audit?limit=`: the audit query with a page size. */
export class ListAuditPageQuery extends ListAuditQuery {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

/** One stored line of the audit trail, as `baton.audit.list` answers it. */
export interface AuditEntryView {
  id: string;
  actor: string;
  action: string;
  resource: string;
  outcome: string;
  details: Record<string, unknown>;
  correlation_id: string;
  time: string;
}

/** The answer to `baton.connection.create`: 201 when created, 200 when replaced. */
export interface CreateConnectionResult {
  created: boolean;
  connection: ConnectionView;
}
