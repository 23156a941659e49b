import {
  DomainError,
  ErrorCodes,
  InvokeAgentCommand,
  MessageTypes,
  RunIdQuery,
  StartRunCommand,
  Topics,
  validateInto,
  type AgentView,
  type Page,
  type RunView,
  type WorkflowView,
} from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { callerMay, type Caller } from '../auth/caller';
import { invokeAgent } from '../platform/invoke-agent';
import { PlatformClient } from '../platform/platform-client';

/** An MCP tool as `tools/list` describes it. */
export interface ToolDescription {
  name: string;
  description: string;
  inputSchema: { type: 'object'; [key: string]: unknown };
}

/** What `tools/call` answers: the JSON result as text and as structured content. */
export interface ToolOutcome {
  content: { type: 'text'; text: string }[];
  structuredContent: Record<string, unknown>;
  isError: boolean;
}

export const WORKFLOW_TOOL_PREFIX = 'workflow.';
export const AGENT_TOOL_PREFIX = 'agent.';
/** How long a workflow tool waits for its run by default, and at most (a client may ask less). */
const RUN_WAIT_DEFAULT_MS = 30_000;
const RUN_WAIT_MAX_MS = 120_000;
const RUN_POLL_MS = 200;
/** Tools offered per kind: a workspace with more lists the first ones, in name order. */
const MAX_TOOLS_PER_KIND = 500;
const PAGE_SIZE = 100;
const LOOKUPS_AT_ONCE = 20;
const TERMINAL_RUN_STATUSES = new Set(['completed', 'failed', 'cancelled']);

/**
 * The workspace's active workflows and live agents as MCP tools: a workflow
 * tool starts a run and waits for its end, an agent tool invokes the agent.
 * Every call goes through the same commands, permissions and workspace as the
 * HTTP API; the caller sees only the tools its role and scopes allow.
 */
@Injectable()
export class BatonTools {
  constructor(private readonly platform: PlatformClient) {}

  async list(caller: Caller): Promise<ToolDescription[]> {
    const tools: ToolDescription[] = [];
    if (callerMay(caller, 'workflows:read') && callerMay(caller, 'runs:start')) {
      const workflows = await this.collect<{ name: string }>(
        Topics.workflowCommands,
        MessageTypes.workflowList,
        caller,
      );
      tools.push(...(await this.activeVersions(caller, workflows)).map(workflowTool));
    }
    if (callerMay(caller, 'agents:read') && callerMay(caller, 'agents:invoke')) {
      const agents = await this.collect<AgentView>(
        Topics.agentCommands,
        MessageTypes.agentList,
        caller,
      );
      tools.push(...agents.filter((agent) => agent.status !== 'decommissioned').map(agentTool));
    }
    return tools;
  }

  /** Runs a tool; refusals and failures of the work are results with isError, not exceptions. */
  async call(caller: Caller, name: string, args: Record<string, unknown>): Promise<ToolOutcome> {
    try {
      if (name.startsWith(WORKFLOW_TOOL_PREFIX)) {
        requirePermissions(caller, ['runs:start']);
        return await this.runWorkflow(caller, name.slice(WORKFLOW_TOOL_PREFIX.length), args);
      }
      if (name.startsWith(AGENT_TOOL_PREFIX)) {
        requirePermissions(caller, ['agents:invoke']);
        return await this.invokeAgent(caller, name.slice(AGENT_TOOL_PREFIX.length), args);
      }
    } catch (error) {
      if (error instanceof DomainError) return problemOutcome(error);
      throw error;
    }
    throw new UnknownToolError(name);
  }

  private async runWorkflow(
    caller: Caller,
    workflow: string,
    args: Record<string, unknown>,
  ): Promise<ToolOutcome> {
    const command = validateInto(StartRunCommand, { workflow, input: args.input ?? {} });
    const waitMs = boundedWait(args.wait_ms);
    const started = await this.platform.send<{ created: boolean; run: RunView }>(
      Topics.workflowCommands,
      MessageTypes.runStart,
      command,
      caller,
    );
    const run = await this.waitForEnd(caller, started.run, waitMs);
    const result = {
      run_id: run.id,
      status: run.status,
      output: run.output ?? null,
      ...(run.error ? { error: run.error } : {}),
    };
    return outcome(result, run.status === 'failed' || run.status === 'cancelled');
  }

  private async waitForEnd(caller: Caller, run: RunView, waitMs: number): Promise<RunView> {
    const deadline = Date.now() + waitMs;
    let current = run;
    while (!TERMINAL_RUN_STATUSES.has(current.status) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, RUN_POLL_MS));
      const query = validateInto(RunIdQuery, { run_id: run.id }, 'path');
      current = await this.platform.send<RunView>(
        Topics.workflowCommands,
        MessageTypes.runGet,
        query,
        caller,
        run.id,
      );
    }
    return current;
  }

  private async invokeAgent(
    caller: Caller,
    name: string,
    args: Record<string, unknown>,
  ): Promise<ToolOutcome> {
    const command = validateInto(InvokeAgentCommand, {
      name,
      input: args.input ?? {},
      ...(args.timeout_ms !== undefined ? { timeout: args.timeout_ms } : {}),
    });
    const result = await invokeAgent(this.platform, command, caller);
    return outcome(
      { task_id: result.task_id, status: result.status, output: result.output },
      false,
    );
  }

  /** The list names workflows only; each tool needs its active version's input schema. */
  private async activeVersions(
    caller: Caller,
    workflows: { name: string }[],
  ): Promise<WorkflowView[]> {
    const versions: WorkflowView[] = [];
    for (let i = 0; i < workflows.length; i += LOOKUPS_AT_ONCE) {
      const batch = workflows.slice(i, i + LOOKUPS_AT_ONCE);
      versions.push(
        ...(await Promise.all(
          batch.map(({ name }) =>
            this.platform.send<WorkflowView>(
              Topics.workflowCommands,
              MessageTypes.workflowGet,
              { name },
              caller,
              name,
            ),
          ),
        )),
      );
    }
    return versions;
  }

  private async collect<T extends { name: string }>(
    topic: string,
    type: string,
    caller: Caller,
  ): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, unknown> = { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) };
      const page: Page<T> = await this.platform.send<Page<T>>(topic, type, query, caller);
      items.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor && items.length < MAX_TOOLS_PER_KIND);
    return items.slice(0, MAX_TOOLS_PER_KIND);
  }
}

/** A tool name that names no workflow or agent kind: a protocol error, not a tool result. */
export class UnknownToolError extends Error {
  constructor(readonly tool: string) {
    super(`unknown tool '${tool}': tools are named workflow.<name> or agent.<name>`);
  }
}

function workflowTool(workflow: WorkflowView): ToolDescription {
  return {
    name: `${WORKFLOW_TOOL_PREFIX}${workflow.name}`,
    description:
      `Starts workflow '${workflow.name}' (version ${workflow.version}) and waits for its end. ` +
      (workflow.description ?? ''),
    inputSchema: {
      type: 'object',
      properties: {
        input: workflow.input_schema ?? { type: 'object', description: 'the run input' },
        wait_ms: {
          type: 'integer',
          minimum: 0,
          maximum: RUN_WAIT_MAX_MS,
          description: `how long to wait for the run's end (default ${RUN_WAIT_DEFAULT_MS})`,
        },
      },
      required: ['input'],
      additionalProperties: false,
    },
  };
}

function agentTool(agent: AgentView): ToolDescription {
  return {
    name: `${AGENT_TOOL_PREFIX}${agent.name}`,
    description:
      `Invokes agent '${agent.name}' (${agent.type}) and answers its output. ` +
      (agent.description ?? ''),
    inputSchema: {
      type: 'object',
      properties: {
        input: agent.input_schema ?? { description: "the agent's input" },
        timeout_ms: { type: 'integer', minimum: 1, description: 'the invocation timeout' },
      },
      required: ['input'],
      additionalProperties: false,
    },
  };
}

function boundedWait(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return RUN_WAIT_DEFAULT_MS;
  return Math.min(Math.max(0, Math.floor(value)), RUN_WAIT_MAX_MS);
}

function requirePermissions(caller: Caller, permissions: Parameters<typeof callerMay>[1][]): void {
  const missing = permissions.filter((permission) => !callerMay(caller, permission));
  if (missing.length > 0) {
    throw new DomainError(ErrorCodes.forbidden, `this credential lacks ${missing.join(', ')}`);
  }
}

function outcome(result: Record<string, unknown>, isError: boolean): ToolOutcome {
  return {
    content: [{ type: 'text', text: JSON.stringify(result) }],
    structuredContent: result,
    isError,
  };
}

/** The problem+json the HTTP API would answer, as the tool's error result. */
function problemOutcome(error: DomainError): ToolOutcome {
  const problem = {
    code: error.code,
    status: error.status,
    detail: error.detail,
    ...(error.errors?.length ? { errors: error.errors } : {}),
  };
  return outcome({ error: problem }, true);
}
