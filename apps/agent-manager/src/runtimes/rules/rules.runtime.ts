import type { FieldError } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import type { AgentRuntime, RuntimeCall } from '../agent-runtime';
import { TaskFailure } from '../agent-runtime';
import { compileRules, evaluateRules, NoRuleMatched, type RulesProgram } from './rules.evaluator';

/** Runs `rules` agents in-process; a version's compiled rules are cached (versions never change). */
@Injectable()
export class RulesRuntime implements AgentRuntime {
  readonly name = 'rules';
  private readonly programs = new Map<string, RulesProgram>();

  configErrors(config: Record<string, unknown>): FieldError[] {
    const compiled = compileRules(config);
    return compiled.ok ? [] : compiled.errors;
  }

  async run(call: RuntimeCall): Promise<unknown> {
    const { agent } = call;
    const key = `${agent.workspaceId}/${agent.name}/${agent.version}`;
    let program = this.programs.get(key);
    if (!program) {
      const compiled = compileRules(agent.config);
      if (!compiled.ok) {
        throw new TaskFailure(
          'system_error',
          `rules config is invalid: ${compiled.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
        );
      }
      program = compiled.program;
      if (this.programs.size > 5_000) this.programs.clear();
      this.programs.set(key, program);
    }
    try {
      return (await evaluateRules(program, call.input)).output;
    } catch (error) {
      if (error instanceof NoRuleMatched) throw new TaskFailure('validation_error', error.message);
      throw new TaskFailure('system_error', `rules evaluation failed: ${(error as Error).message}`);
    }
  }
}
