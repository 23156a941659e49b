import { isObject } from '@baton/contracts';
import type { MessageSendParams } from '@a2a-js/sdk';
/**
 * What agent-manager decides when it bridges a task to a remote A2A agent:
 * where to find the card, which endpoint it names, the message parts of an
 * input and what a JSON-RPC answer means for the task. Pure functions; the
 * wire (requests, ids, JSON-RPC framing) is `@a2a-js/sdk`'s client.
 */

export const CARD_PATHS = ['/.well-known/agent-card.json', '/.well-known/agent.json'];

export type Part =
  | { kind: 'text'; text: string }
  | { kind: 'data'; data: unknown }
  | { kind: 'file'; file: unknown };

export type Interpretation =
  | { kind: 'done'; output: unknown }
  | { kind: 'pending'; taskId: string }
  | { kind: 'failed'; type: 'validation_error' | 'system_error'; message: string };

/** Where to look for the card: the URL itself if it names a .json, else the well-known paths. */
export function cardUrls(configured: string): string[] {
  const url = new URL(configured);
  if (url.pathname.endsWith('.json')) return [url.toString()];
  const base = url.toString().replace(/\/+$/, '');
  return CARD_PATHS.map((path) => `${base}${path}`);
}

/** The JSON-RPC endpoint a card announces (resolved against the card's own URL). */
export function endpointOf(card: unknown, cardUrl: string): string {
  if (!isObject(card) || typeof card.url !== 'string' || card.url === '') {
    throw new Error('the agent card has no url');
  }
  const transport = card.preferredTransport;
  if (typeof transport === 'string' && transport.toUpperCase() !== 'JSONRPC') {
    const alternatives = Array.isArray(card.additionalInterfaces) ? card.additionalInterfaces : [];
    const jsonRpc = alternatives.find(
      (i): i is { url: string } =>
        isObject(i) && String(i.transport).toUpperCase() === 'JSONRPC' && typeof i.url === 'string',
    );
    if (!jsonRpc) throw new Error(`the agent speaks ${transport}, not JSON-RPC`);
    return new URL(jsonRpc.url, cardUrl).toString();
  }
  return new URL(card.url, cardUrl).toString();
}

/** A string becomes a text part; anything else a data part (plus its `text` field, if any). */
export function toParts(input: unknown): Part[] {
  if (typeof input === 'string') return [{ kind: 'text', text: input }];
  const parts: Part[] = [];
  if (isObject(input) && typeof input.text === 'string')
    parts.push({ kind: 'text', text: input.text });
  parts.push({ kind: 'data', data: input ?? null });
  return parts;
}

/** `message/send` of the task input, answered blocking when the agent can. */
export function sendParams(messageId: string, input: unknown): MessageSendParams {
  return {
    message: { kind: 'message', role: 'user', messageId, parts: toParts(input) as never },
    configuration: { blocking: true, acceptedOutputModes: ['application/json', 'text/plain'] },
  };
}

/** Output of parts: the data part if there is one, else the text (parsed when it is JSON). */
export function outputOfParts(parts: unknown): unknown {
  const list = Array.isArray(parts) ? parts.filter(isObject) : [];
  const data = list.filter((p) => p.kind === 'data' || ('data' in p && !('text' in p)));
  if (data.length === 1) return data[0].data;
  if (data.length > 1) return data.map((p) => p.data);
  const text = list
    .filter((p) => typeof p.text === 'string')
    .map((p) => p.text as string)
    .join('\n');
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      /* plain text after all */
    }
  }
  return { text };
}

const FAILED_STATES = new Set(['failed', 'rejected', 'canceled']);
const NEEDS_INPUT = new Set(['input-required', 'auth-required']);

/** What a JSON-RPC response means for the task. */
export function interpret(response: unknown): Interpretation {
  if (!isObject(response)) return failed('the A2A agent answered something that is not JSON-RPC');
  if (isObject(response.error)) {
    const code = response.error.code as number | undefined;
    return failed(`A2A error ${code ?? '?'}: ${String(response.error.message ?? 'no message')}`);
  }
  const result = response.result;
  if (!isObject(result)) return failed('the A2A response has no result');
  if (result.kind === 'message') return { kind: 'done', output: outputOfParts(result.parts) };
  if (result.kind !== 'task' || !isObject(result.status)) {
    return failed(`unknown A2A result kind '${String(result.kind)}'`);
  }
  const state = String(result.status.state);
  const statusText = isObject(result.status.message)
    ? String(outputText(result.status.message.parts))
    : '';
  if (state === 'completed') {
    const artifacts = Array.isArray(result.artifacts) ? result.artifacts.filter(isObject) : [];
    const parts = artifacts.flatMap((a) => (Array.isArray(a.parts) ? a.parts : []));
    const source =
      parts.length > 0 ? parts : isObject(result.status.message) ? result.status.message.parts : [];
    return { kind: 'done', output: outputOfParts(source) };
  }
  if (FAILED_STATES.has(state))
    return failed(`the A2A task ended ${state}${statusText ? `: ${statusText}` : ''}`);
  if (NEEDS_INPUT.has(state)) {
    return {
      kind: 'failed',
      type: 'validation_error',
      message: `the A2A agent needs more (${state})${statusText ? `: ${statusText}` : ''}`,
    };
  }
  if (typeof result.id !== 'string') return failed('the A2A task has no id to follow');
  return { kind: 'pending', taskId: result.id };
}

function outputText(parts: unknown): string {
  const list = Array.isArray(parts) ? parts.filter(isObject) : [];
  return list
    .filter((p) => typeof p.text === 'string')
    .map((p) => p.text as string)
    .join(' ');
}

function failed(message: string): Interpretation {
  return { kind: 'failed', type: 'system_error', message };
}
