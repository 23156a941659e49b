import { IsInt, IsOptional, Min } from 'class-validator';
import type { ConnectionView } from './integration.messages';
import { ListAuditQuery } from './security.messages';
import { IntBetween } from '../fields';

/** `GET /v1/audit?limit=`: the audit query with a page size. */
export class ListAuditPageQuery extends ListAuditQuery {
  @IsOptional()
  @IntBetween(1, 200)
  limit?: number;
}

/** One stored line of the audit trail, as `baton.audit.list` answers it. */
export interface AuditEntryView {
  id: string;
  /** Its place in the workspace's hash chain (GET /v1/audit/verify). */
  seq: number;
  /** The service that recorded it. */
  source: string;
  actor: string;
  /** `<kind>:<id>` of the credential the actor used, when known. */
  credential: string | null;
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

/** `GET /v1/audit/verify`: whether the workspace's audit chain holds, and where it first breaks. */
export interface AuditVerifyView {
  intact: boolean;
  /** Records checked and found sound (all of them when intact). */
  count: number;
  /** The hash of the chain's last record: keep it elsewhere to detect a rewrite of the whole chain. */
  head_hash: string;
  broken?: { seq: number; id: string | null; reason: string };
}

/** `GET /v1/audit/verify?up_to_seq=`: the whole chain, or its records up to a seq. */
export class VerifyAuditQuery {
  /**
   * Check only records 1..up_to_seq: its answer's head_hash is then that
   * record's hash, to compare with one kept elsewhere when it was the head.
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  up_to_seq?: number;
}
