import {
  DomainError,
  type ConnectionView,
  type Envelope,
  type UpdateConnectionCommand,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { ConnectorRegistry } from '../connectors/connector-registry';
import { ConnectionSecrets } from './connection-secrets';
import { toConnectionView } from './connection.view';
import { ConnectionsRepository } from './connections.repository';

/** RFC 7386 JSON merge patch: objects merge, null removes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const base =
    target !== null && typeof target === 'object' && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) delete base[key];
    else base[key] = mergePatch(base[key], value);
  }
  return base;
}

@Injectable()
export class UpdateConnectionUseCase {
  constructor(
    private readonly connections: ConnectionsRepository,
    private readonly connectors: ConnectorRegistry,
    private readonly secrets: ConnectionSecrets,
    private readonly uow: UnitOfWork,
  ) {}

  /** Merges config and secrets into the stored connection, checks the result whole, and stores it. */
  async execute(command: UpdateConnectionCommand, request: Envelope): Promise<ConnectionView> {
    const workspaceId = request.workspaceid;
    const existing = await this.connections.find(workspaceId, command.name);
    if (!existing) throw DomainError.notFound('connection', command.name);
    const stored = this.secrets.open(existing);
    if (!stored && command.secrets === undefined && existing.secretsCiphertext !== null) {
      throw DomainError.invalid('secrets', 'the stored secrets cannot be opened; give them again');
    }
    const config = mergePatch(existing.config, command.config ?? {}) as Record<string, unknown>;
    const secrets = mergePatch(stored ?? {}, command.secrets ?? {}) as Record<string, string>;
    await this.connectors.validate(existing.connector, config, secrets);
    const sealed = this.secrets.seal(workspaceId, command.name, secrets);
    const updated = await this.uow.run(async (tx) => {
      const row = await this.connections.update(
        {
          workspaceId,
          name: command.name,
          connector: existing.connector,
          config,
          secretsCiphertext: sealed,
        },
        tx.manager,
      );
      if (!row) throw DomainError.notFound('connection', command.name);
      // Secret names only, never values.
      tx.audit(
        {
          action: 'connection.update',
          target: `connection/${command.name}`,
          details: { secrets: Object.keys(command.secrets ?? {}) },
        },
        request,
      );
      return row;
    });
    await this.connectors.release(`${workspaceId}/${command.name}`);
    return toConnectionView(updated);
  }
}
