import {
  DomainError,
  ErrorCodes,
  MessageTypes,
  secretTransportContext,
  Topics,
  type ResolvedSecret,
} from '@baton/contracts';
import { SecretBox } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { AgentManagerEnv } from '../agent-manager.env';
import { TaskFailure } from './agent-runtime';
import { PlatformRequests } from './platform-requests';

/** How long to wait for security-manager before the task fails (it is retried like any). */
const RESOLVE_TIMEOUT_MS = 10_000;
/** Entries kept at most, so a workspace naming many secrets cannot grow memory without bound. */
const MAX_CACHED = 1_000;

/**
 * The secrets HTTP and LLM agents name in `api_key_secret`, from the vault of
 * the agent's own workspace (security-manager). They arrive sealed with the
 * shared keyring and bound to workspace and name, so no secret crosses Kafka
 * in clear; opened here, they are kept for AGENT_SECRET_CACHE_MS (a change or
 * a deletion is seen after at most that long) and never logged or stored.
 */
@Injectable()
export class VaultSecrets {
  private readonly cache = new Map<string, { value: string; until: number }>();
  private readonly ttlMs: number;

  constructor(
    private readonly client: PlatformRequests,
    private readonly box: SecretBox,
    env: AgentManagerEnv,
  ) {
    this.ttlMs = env.AGENT_SECRET_CACHE_MS ?? 30_000;
  }

  /** The value of `name` in `workspaceId`'s vault; a TaskFailure naming only the secret if absent. */
  async resolve(workspaceId: string, name: string): Promise<string> {
    const key = `${workspaceId}\u0000${name}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.value;
    let answer: ResolvedSecret;
    try {
      answer = await this.client.request<ResolvedSecret>(
        Topics.securityCommands,
        MessageTypes.secretResolve,
        { name },
        { workspaceId, source: 'agent-manager', timeoutMs: RESOLVE_TIMEOUT_MS, key: name },
      );
    } catch (error) {
      if (error instanceof DomainError && error.category === ErrorCodes.notFound) {
        throw new TaskFailure('system_error', `secret '${name}' is not in this workspace's vault`);
      }
      throw new TaskFailure(
        'system_error',
        `the vault could not be asked for secret '${name}': ${(error as Error).message}`,
      );
    }
    let value: unknown;
    try {
      value = this.box.open(answer.sealed, secretTransportContext(workspaceId, name, 'out'));
    } catch {
      throw new TaskFailure(
        'system_error',
        `secret '${name}' arrived sealed with a key agent-manager does not have (the platform's services hold different keyrings)`,
      );
    }
    if (typeof value !== 'string') {
      throw new TaskFailure('system_error', `secret '${name}' is not text`);
    }
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { value, until: Date.now() + this.ttlMs });
    return value;
  }
}
