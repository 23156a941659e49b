import type { WorkflowDefinition } from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { WorkflowsRepository } from './workflows.repository';

const CACHE_LIMIT = 1000;

/**
 * Parsed definitions by workspace, name and version. Versions are immutable,
 * so a cached definition never goes stale; only the size is bounded.
 */
@Injectable()
export class WorkflowDefinitions {
  private readonly cache = new Map<string, WorkflowDefinition>();

  constructor(private readonly workflows: WorkflowsRepository) {}

  /** Inside a transaction pass its manager: a second pool connection could wait forever. */
  async get(
    workspaceId: string,
    name: string,
    version: number,
    manager?: EntityManager,
  ): Promise<WorkflowDefinition> {
    const key = `${workspaceId}\u0000${name}\u0000${version}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const row = await this.workflows.findVersion(workspaceId, name, version, manager);
    if (!row)
      throw new Error(`workflow ${name} v${version} is missing from workspace ${workspaceId}`);
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, row.definition);
    return row.definition;
  }
}
