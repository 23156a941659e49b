import { DomainError, ErrorCodes, type FieldError } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { AgentManagerEnv } from '../agent-manager.env';
import {
  provisionerErrors,
  provisionerPolicy,
  type ProvisionerPolicy,
} from '../provisioning/provisioner-config';
import { Runtimes } from '../runtimes/runtimes';
import { JsonSchemas } from '../agent-model/json-schemas';
import type { AgentSpec } from '../agent-model/agent-snapshot';

/** Checks a whole agent spec (bounds, runtime config, schemas) and answers 422 naming every field. */
@Injectable()
export class AgentSpecValidator {
  private readonly policy: ProvisionerPolicy;

  constructor(
    private readonly runtimes: Runtimes,
    private readonly schemas: JsonSchemas,
    env: AgentManagerEnv,
  ) {
    this.policy = provisionerPolicy(env);
  }

  /** `workspaceId`: the agent's, whose connections and agents the config may name. */
  async check(spec: AgentSpec, workspaceId: string): Promise<void> {
    const errors: FieldError[] = [];
    if (spec.min_instances > spec.max_instances) {
      errors.push({ field: 'min_instances', message: 'must not be greater than max_instances' });
    }
    const configErrors = this.runtimes.configErrors(spec.runtime, spec.config);
    errors.push(...configErrors);
    if (configErrors.length === 0) {
      errors.push(
        ...(await this.runtimes.workspaceConfigErrors(workspaceId, spec.runtime, spec.config)),
      );
    }
    if (spec.config.provisioner !== undefined) {
      if (spec.runtime !== 'worker') {
        errors.push({ field: 'config.provisioner', message: 'only worker agents are provisioned' });
      } else {
        errors.push(...provisionerErrors(spec.config.provisioner, this.policy));
      }
    }
    errors.push(...this.schemas.schemaErrors('input_schema', spec.input_schema));
    errors.push(...this.schemas.schemaErrors('output_schema', spec.output_schema));
    if (errors.length > 0) {
      throw new DomainError(
        ErrorCodes.validation,
        errors.map((e) => `${e.field}: ${e.message}`).join('; '),
        errors,
      );
    }
  }
}
