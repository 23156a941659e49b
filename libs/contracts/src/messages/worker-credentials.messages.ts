import { Matches } from 'class-validator';
import { WORKSPACE_ID_PATTERN } from '../envelope/envelope.schema';

/** Issue (or rotate) / revoke a workspace's agent-worker Kafka credential. */
export class WorkerCredentialCommand {
  @Matches(WORKSPACE_ID_PATTERN, { message: 'workspace_id must be a workspace slug' })
  workspace_id!: string;
}

/**
 * What `POST /v1/workspaces/{id}/worker-credentials` answers, once: Baton
 * keeps no copy of the password (the broker keeps a salted hash).
 */
export interface IssuedWorkerCredentialView {
  workspace_id: string;
  /** The KAFKA_SASL_* settings a worker of this workspace runs with. */
  mechanism: 'scram-sha-512';
  username: string;
  password: string;
  /** Where the workspace's own producers write events (no other workspace may). */
  ingress_topic: string;
  /** Task topics it may read, and the consumer groups it may use (prefixes). */
  task_topic_prefix: string;
  consumer_group_prefix: string;
  issued_at: string;
}
