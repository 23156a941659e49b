import type { DatabaseOptions } from '@baton/database';
import { AgentEntity, AgentVersionEntity } from './agent-model/agent.entity';
import { AgentInstanceEntity } from './instances/agent-instance.entity';
import { AgentRegistry1732435200001 } from './migrations/1732435200001-agent-registry';
import { AgentTasks1732435203000 } from './migrations/1732435203000-agent-tasks';
import { InstancePid1732435203001 } from './migrations/1732435203001-instance-pid';
import { AgentDeployments1732435204000 } from './migrations/1732435204000-agent-deployments';
import { InstanceLeases1732435205000 } from './migrations/1732435205000-instance-leases';
import { LlmCalls1732435206000 } from './migrations/1732435206000-llm-calls';
import { LlmBudgets1732435207000 } from './migrations/1732435207000-llm-budgets';
import { PullClaims1732435208000 } from './migrations/1732435208000-pull-claims';
import { LlmReplays1732435327000 } from './migrations/1732435327000-llm-replays';
import { LlmToolCalls1732435427270 } from './migrations/1732435427270-llm-tool-calls';
import { TaskEntity } from './task-model/task.entity';

/** The schema this service owns, its entities and migrations (also read by `npm run migrate`). */
export const DATABASE: DatabaseOptions = {
  schema: 'agent_manager',
  entities: [AgentEntity, AgentVersionEntity, AgentInstanceEntity, TaskEntity],
  migrations: [
    AgentRegistry1732435200001,
    AgentTasks1732435203000,
    InstancePid1732435203001,
    AgentDeployments1732435204000,
    InstanceLeases1732435205000,
    LlmCalls1732435206000,
    LlmBudgets1732435207000,
    PullClaims1732435208000,
    LlmReplays1732435327000,
    LlmToolCalls1732435427270,
  ],
};
