import type { FieldError } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import type { AgentRuntime } from './agent-runtime';
import { HttpRuntime } from './http/http.runtime';
import { LlmRuntime } from './llm/llm.runtime';
import { PullRuntime } from './pull/pull.runtime';
import { RulesRuntime } from './rules/rules.runtime';

/** The runtimes agent-manager executes itself, by name. */
@Injectable()
export class Runtimes {
  private readonly byName: Map<string, AgentRuntime>;

  constructor(rules: RulesRuntime, http: HttpRuntime, llm: LlmRuntime, pull: PullRuntime) {
    this.byName = new Map<string, AgentRuntime>(
      [rules, http, llm, pull].map((runtime) => [runtime.name, runtime]),
    );
  }

  get(name: string): AgentRuntime | undefined {
    return this.byName.get(name);
  }

  /** Config problems for a runtime agent-manager runs; worker agents' config is their own. */
  configErrors(runtime: string, config: Record<string, unknown>): FieldError[] {
    return this.byName.get(runtime)?.configErrors(config) ?? [];
  }

  /** What only the workspace can tell (a named connection that does not exist, ...). */
  async workspaceConfigErrors(
    workspaceId: string,
    runtime: string,
    config: Record<string, unknown>,
  ): Promise<FieldError[]> {
    return (await this.byName.get(runtime)?.workspaceConfigErrors?.(workspaceId, config)) ?? [];
  }
}
