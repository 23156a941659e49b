import {
  AgentTaskMessageTypes,
  AgentTaskTopics,
  INVOKE_TIMEOUT_DEFAULT_MS,
  type InvokeAgentCommand,
  type InvokeResultView,
} from '@baton/contracts';
import type { PlatformClient, RequestingCaller } from './platform-client';

/** Beyond the invoke's own timeout, so agent-manager's 504 (not the gateway's) is what callers see. */
const REPLY_MARGIN_MS = 5_000;

/**
 * A synchronous invoke of an agent, answered when the agent has (REST
 * `POST /v1/agents/{name}/invoke`, the MCP tool, an A2A message). Keyed by
 * request, not by agent: invocations of one agent spread over all partitions.
 */
export function invokeAgent(
  platform: PlatformClient,
  command: InvokeAgentCommand,
  caller: RequestingCaller,
): Promise<InvokeResultView> {
  return platform.send<InvokeResultView>(
    AgentTaskTopics.invocations,
    AgentTaskMessageTypes.invoke,
    command,
    caller,
    undefined,
    (command.timeout ?? INVOKE_TIMEOUT_DEFAULT_MS) + REPLY_MARGIN_MS,
  );
}
