import type { AgentCard, Message, Part, Task, TaskState } from '@a2a-js/sdk';
import type { AgentView, TaskView } from '@baton/contracts';
import { randomUUID } from 'node:crypto';

export const A2A_PROTOCOL_VERSION = '0.3.0';

/**
 * The agent card Baton publishes for one of its agents, at
 * `/a2a/{agent}/.well-known/agent-card.json`; its JSON-RPC endpoint is
 * `/a2a/{agent}`. Callers authenticate as on the API (a bearer key or token).
 */
export function agentCard(agent: AgentView, baseUrl: string): AgentCard {
  return {
    protocolVersion: A2A_PROTOCOL_VERSION,
    name: agent.name,
    description: agent.description ?? `The Baton agent '${agent.name}'`,
    url: `${baseUrl}/a2a/${agent.name}`,
    preferredTransport: 'JSONRPC',
    version: String(agent.version ?? 1),
    capabilities: { streaming: false, pushNotifications: false, stateTransitionHistory: false },
    defaultInputModes: ['application/json', 'text/plain'],
    defaultOutputModes: ['application/json'],
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    security: [{ bearer: [] }],
    skills: [
      {
        id: agent.name,
        name: agent.name,
        description: agent.description ?? `Invoke '${agent.name}'`,
        tags: agent.capabilities,
        inputModes: ['application/json', 'text/plain'],
        outputModes: ['application/json'],
      },
    ],
  };
}

/** The agent's input from a message: its one data part, else its text (parsed when JSON). */
export function inputOf(message: Message): unknown {
  const data = message.parts.filter((p) => p.kind === 'data');
  if (data.length === 1) return data[0].data;
  if (data.length > 1) return data.map((p) => p.data);
  const text = message.parts
    .filter((p) => p.kind === 'text')
    .map((p) => p.text)
    .join('\n');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A finished task: the output as one data part of one artifact. */
export function completedTask(taskId: string, contextId: string, output: unknown): Task {
  return {
    kind: 'task',
    id: taskId,
    contextId,
    status: { state: 'completed', timestamp: new Date().toISOString() },
    artifacts: [{ artifactId: `${taskId}-output`, name: 'output', parts: [dataPart(output)] }],
  };
}

export function failedTask(taskId: string, contextId: string, reason: string): Task {
  return {
    kind: 'task',
    id: taskId,
    contextId,
    status: { state: 'failed', timestamp: new Date().toISOString(), message: agentText(reason) },
  };
}

/** `tasks/get`: a Baton task as an A2A task (running → working). */
export function taskOf(task: TaskView): Task {
  const state: TaskState =
    task.status === 'completed' ? 'completed' : task.status === 'failed' ? 'failed' : 'working';
  if (state === 'completed') return completedTask(task.id, task.id, task.output);
  if (state === 'failed') {
    return failedTask(
      task.id,
      task.id,
      `${task.error?.type ?? 'failed'}: ${task.error?.message ?? ''}`,
    );
  }
  return { kind: 'task', id: task.id, contextId: task.id, status: { state } };
}

function dataPart(output: unknown): Part {
  // A data part carries an object; any other output is wrapped so it stays JSON.
  const data =
    output !== null && typeof output === 'object' && !Array.isArray(output)
      ? (output as Record<string, unknown>)
      : { output };
  return { kind: 'data', data };
}

function agentText(text: string): Message {
  return {
    kind: 'message',
    role: 'agent',
    messageId: randomUUID(),
    parts: [{ kind: 'text', text }],
  };
}
