import { AGENT_TASK_TOPIC_PREFIX, Headers, ingressTopicWorkspace, Topics } from '@baton/contracts';
import type { IHeaders, KafkaMessage } from 'kafkajs';

/** One message found on a `baton.dlq.*` topic, as stored in dead_letters. */
export interface DeadLetterRecord {
  dlqTopic: string;
  partition: number;
  offset: string;
  workspaceId: string | null;
  kind: string | null;
  reason: string;
  sourceTopic: string | null;
  deadAt: Date;
}

const WORKSPACE = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** The dead-letter topic SDK workers write: a tenant's process, so its claims are checked. */
const WORKER_DLQ = Topics.dlq('agents');

function header(headers: IHeaders | undefined, name: string): string | null {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined || first === null) return null;
  return (Buffer.isBuffer(first) ? first.toString('utf8') : String(first)).slice(0, 2_000);
}

/** The workspace of a per-agent task topic (baton.agent.tasks.<workspace>.<agent>). */
function taskTopicWorkspace(topic: string | null): string | undefined {
  if (!topic?.startsWith(AGENT_TASK_TOPIC_PREFIX)) return undefined;
  const workspace = topic.slice(AGENT_TASK_TOPIC_PREFIX.length).split('.')[0];
  return WORKSPACE.test(workspace) ? workspace : undefined;
}

function envelopeWorkspace(value: Buffer | null): string | undefined {
  if (!value || value.length > 1_048_576) return undefined;
  try {
    const parsed = JSON.parse(value.toString('utf8')) as { workspaceid?: unknown };
    return typeof parsed?.workspaceid === 'string' ? parsed.workspaceid : undefined;
  } catch {
    return undefined; // an unreadable message is still a dead letter, of no workspace
  }
}

/**
 * Reads whatever a dead-letter topic holds, never throwing: a dead letter is
 * counted even when it is not JSON. Its workspace is the one its source topic
 * names (a workspace's ingress or agent task topic), else the one its
 * envelope carries; a worker's dead letter (baton.dlq.agents) counts for a
 * workspace only through its task topic, so one tenant's worker cannot
 * inflate another workspace's figures.
 */
export function readDeadLetter(
  raw: KafkaMessage,
  dlqTopic: string,
  partition: number,
): DeadLetterRecord {
  const sourceTopic = header(raw.headers, Headers.dlqSourceTopic);
  const fromTopic =
    (sourceTopic ? ingressTopicWorkspace(sourceTopic) : undefined) ??
    taskTopicWorkspace(sourceTopic);
  const claimed = fromTopic ?? (dlqTopic === WORKER_DLQ ? undefined : envelopeWorkspace(raw.value));
  const timestamp = Number(raw.timestamp);
  return {
    dlqTopic,
    partition,
    offset: raw.offset,
    workspaceId: claimed !== undefined && WORKSPACE.test(claimed) ? claimed : null,
    kind: header(raw.headers, Headers.dlqKind)?.slice(0, 32) ?? null,
    reason: header(raw.headers, Headers.dlqReason) ?? 'no reason given',
    sourceTopic: sourceTopic?.slice(0, 249) ?? null,
    deadAt: Number.isFinite(timestamp) && timestamp > 0 ? new Date(timestamp) : new Date(),
  };
}
