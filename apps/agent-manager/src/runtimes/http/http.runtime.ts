import type { FieldError } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  httpUrlErrors,
  secretNameErrors,
  TaskFailure,
  type AgentRuntime,
  type RuntimeCall,
} from '../agent-runtime';
import { A2AClient } from '@a2a-js/sdk/client';
import type { AgentCard } from '@a2a-js/sdk';
import { cardUrls, endpointOf, interpret, sendParams } from './a2a.protocol';
import { fetchJson, guardedFetch } from './fetch-json';
import { VaultSecrets } from '../vault-secrets';

const CARD_TTL_MS = 5 * 60_000;
const A2A_POLL_MS = 500;
/** Header names a config may not set: they are Baton's or carry credentials. */
const RESERVED_HEADERS = /^(authorization|cookie|host|content-length|x-baton-.*)$/i;

interface HttpConfig {
  url: string;
  protocol?: 'a2a';
  headers?: Record<string, string>;
  api_key_secret?: string;
}

/**
 * The `http` runtime: a remote agent reached over HTTP. Plain agents get the
 * task input as the JSON body of a POST to `config.url` and answer the output
 * as JSON. With `protocol: a2a`, `config.url` is the agent's base URL: its
 * agent card is discovered at /.well-known/agent-card.json (or agent.json) and
 * the task is sent with JSON-RPC `message/send`, following the A2A task with
 * `tasks/get` until it ends, by `@a2a-js/sdk`'s client.
 */
@Injectable()
export class HttpRuntime implements AgentRuntime {
  readonly name = 'http';
  private readonly cards = new Map<string, { card: AgentCard; until: number }>();

  constructor(private readonly vault: VaultSecrets) {}

  configErrors(config: Record<string, unknown>): FieldError[] {
    const errors = httpUrlErrors('config.url', config.url);
    if (config.protocol !== undefined && config.protocol !== 'a2a' && config.protocol !== 'http') {
      errors.push({ field: 'config.protocol', message: "must be 'http' (default) or 'a2a'" });
    }
    if (config.headers !== undefined) {
      const headers = config.headers;
      if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
        errors.push({
          field: 'config.headers',
          message: 'must be an object of header names to strings',
        });
      } else {
        for (const [name, value] of Object.entries(headers)) {
          if (typeof value !== 'string' || RESERVED_HEADERS.test(name)) {
            errors.push({
              field: `config.headers.${name}`,
              message:
                'must be a string, and not a credential or Baton header (use api_key_secret)',
            });
          }
        }
      }
    }
    errors.push(...secretNameErrors('config.api_key_secret', config.api_key_secret));
    return errors;
  }

  async run(call: RuntimeCall): Promise<unknown> {
    const config = call.agent.config as unknown as HttpConfig;
    const headers: Record<string, string> = {
      ...(config.headers ?? {}),
      'x-baton-task-id': call.taskId,
      'x-baton-agent': call.agent.name,
    };
    if (config.api_key_secret) {
      const key = await this.vault.resolve(call.agent.workspaceId, config.api_key_secret);
      headers.authorization = `Bearer ${key}`;
    }
    return config.protocol === 'a2a'
      ? this.runA2a(call, config, headers)
      : this.runPlain(call, config, headers);
  }

  private async runPlain(call: RuntimeCall, config: HttpConfig, headers: Record<string, string>) {
    const answer = await fetchJson(
      config.url,
      { body: call.input ?? null, headers, signal: call.signal },
      `agent '${call.agent.name}' (${config.url})`,
    );
    return answer.json;
  }

  /** Through `@a2a-js/sdk`'s client, its requests sent by the guarded, size-limited fetch. */
  private async runA2a(call: RuntimeCall, config: HttpConfig, headers: Record<string, string>) {
    const card = await this.discover(call, config, headers);
    const what = `A2A agent '${call.agent.name}' (${card.url})`;
    const client = new A2AClient(card, { fetchImpl: guardedFetch(what, headers, call.signal) });
    const ask = async (request: () => Promise<unknown>): Promise<unknown> => {
      try {
        return await request();
      } catch (error) {
        if (error instanceof TaskFailure || call.signal.aborted) throw error;
        // The client raises the agent's JSON-RPC errors and answers that are not JSON-RPC.
        throw new TaskFailure('system_error', `${what}: ${(error as Error).message}`);
      }
    };
    let answer = await ask(() => client.sendMessage(sendParams(randomUUID(), call.input)));
    for (;;) {
      const meaning = interpret(answer);
      if (meaning.kind === 'done') return meaning.output;
      if (meaning.kind === 'failed') throw new TaskFailure(meaning.type, meaning.message);
      await new Promise((resolve) => setTimeout(resolve, A2A_POLL_MS));
      answer = await ask(() => client.getTask({ id: meaning.taskId }));
    }
  }

  /**
   * The card is read once per agent version and base URL (agent-card.json,
   * else the older agent.json), then kept a few minutes; its endpoint is
   * resolved against the card's URL, JSON-RPC preferred.
   */
  private async discover(
    call: RuntimeCall,
    config: HttpConfig,
    headers: Record<string, string>,
  ): Promise<AgentCard> {
    const key = `${call.agent.workspaceId}/${call.agent.name}/${call.agent.version}`;
    const cached = this.cards.get(key);
    if (cached && cached.until > Date.now()) return cached.card;
    const problems: string[] = [];
    for (const cardUrl of cardUrls(config.url)) {
      try {
        const fetched = await fetchJson(
          cardUrl,
          { headers, signal: call.signal },
          `agent card ${cardUrl}`,
        );
        const card = { ...(fetched.json as AgentCard), url: endpointOf(fetched.json, cardUrl) };
        this.cards.set(key, { card, until: Date.now() + CARD_TTL_MS });
        return card;
      } catch (error) {
        if (call.signal.aborted) throw error;
        problems.push((error as Error).message);
      }
    }
    throw new TaskFailure('system_error', `no A2A agent card found: ${problems.join('; ')}`);
  }
}
