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
import { cardUrls, endpointOf, getTaskRequest, interpret, sendRequest } from './a2a.protocol';
import { fetchJson } from './fetch-json';
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
 * `tasks/get` until it ends.
 */
@Injectable()
export class HttpRuntime implements AgentRuntime {
  readonly name = 'http';
  private readonly endpoints = new Map<string, { url: string; until: number }>();

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

  private async runA2a(call: RuntimeCall, config: HttpConfig, headers: Record<string, string>) {
    const endpoint = await this.discover(call, config, headers);
    const what = `A2A agent '${call.agent.name}' (${endpoint})`;
    let answer = await fetchJson(
      endpoint,
      { body: sendRequest(call.taskId, randomUUID(), call.input), headers, signal: call.signal },
      what,
    );
    for (;;) {
      const meaning = interpret(answer.json);
      if (meaning.kind === 'done') return meaning.output;
      if (meaning.kind === 'failed') throw new TaskFailure(meaning.type, meaning.message);
      await new Promise((resolve) => setTimeout(resolve, A2A_POLL_MS));
      answer = await fetchJson(
        endpoint,
        { body: getTaskRequest(randomUUID(), meaning.taskId), headers, signal: call.signal },
        what,
      );
    }
  }

  /** The card is read once per agent version and base URL, then kept a few minutes. */
  private async discover(
    call: RuntimeCall,
    config: HttpConfig,
    headers: Record<string, string>,
  ): Promise<string> {
    const key = `${call.agent.workspaceId}/${call.agent.name}/${call.agent.version}`;
    const cached = this.endpoints.get(key);
    if (cached && cached.until > Date.now()) return cached.url;
    const problems: string[] = [];
    for (const cardUrl of cardUrls(config.url)) {
      try {
        const card = await fetchJson(
          cardUrl,
          { headers, signal: call.signal },
          `agent card ${cardUrl}`,
        );
        const url = endpointOf(card.json, cardUrl);
        this.endpoints.set(key, { url, until: Date.now() + CARD_TTL_MS });
        return url;
      } catch (error) {
        if (call.signal.aborted) throw error;
        problems.push((error as Error).message);
      }
    }
    throw new TaskFailure('system_error', `no A2A agent card found: ${problems.join('; ')}`);
  }
}
