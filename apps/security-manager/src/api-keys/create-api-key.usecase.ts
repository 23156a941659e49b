import {
  DomainError,
  ErrorCodes,
  PLATFORM_ADMIN,
  WORKSPACE_ID,
  WORKSPACE_ROLES,
  type CreateApiKeyCommand,
  type IssuedApiKeyView,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { WorkspacesRepository } from '../workspaces/workspaces.repository';
import { hashApiKey, keyPrefix } from './api-key-hash';
import { ApiKeyEntity } from './api-key.entity';
import { toApiKeyView } from './api-key.view';
import { auditKeyChange } from './api-key-audit';
import { ApiKeysRepository } from './api-keys.repository';
import { assertMayGrant, generateApiKey } from './key-policy';

export interface NewKey {
  workspaceId: string;
  name: string;
  role: string;
  scopes: string[] | null;
  expiresAt: Date | null;
  createdBy: string;
}

/** Issues a key in the caller's workspace; the answer is the only place the key ever appears. */
@Injectable()
export class CreateApiKeyUseCase {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly workspaces: WorkspacesRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(
    command: CreateApiKeyCommand,
    workspaceId: string,
    correlationId: string,
    now = new Date(),
  ): Promise<IssuedApiKeyView> {
    const scopes = command.scopes ? [...new Set(command.scopes)] : null;
    assertMayGrant(command.actor, command.role, scopes);
    const target = command.target_workspace;
    if (target !== undefined) assertMayIssueIn(command.actor.roles, target, command.role);
    const expiresAt = parseExpiry(command.expires_at, now);
    const keyWorkspace = target ?? workspaceId;
    return this.uow.run(async (tx) => {
      const workspace = WORKSPACE_ID.test(keyWorkspace)
        ? await this.workspaces.find(keyWorkspace, tx.manager)
        : null;
      if (!workspace) throw DomainError.notFound('workspace', keyWorkspace);
      if (workspace.deletedAt) {
        throw new DomainError('WORKSPACE.DELETED', `workspace '${keyWorkspace}' is deleted`);
      }
      const issued = await insertKey(tx.manager, this.keys, {
        workspaceId: keyWorkspace,
        name: command.name,
        role: command.role,
        scopes,
        expiresAt,
        createdBy: command.actor.principal,
      });
      const request = { command, workspaceId, correlationId };
      await auditKeyChange(tx.manager, request, 'api-key.create', issued.id, {
        role: command.role,
        name: command.name,
        prefix: issued.prefix,
        ...(target !== undefined ? { workspace: target } : {}),
      });
      return issued;
    });
  }
}

/** Generates, stores (hash only) and answers a key with its view. */
export async function insertKey(
  manager: EntityManager,
  keys: ApiKeysRepository,
  spec: NewKey,
): Promise<IssuedApiKeyView> {
  const key = generateApiKey();
  const entity = Object.assign(new ApiKeyEntity(), {
    id: randomUUID(),
    workspaceId: spec.workspaceId,
    name: spec.name,
    prefix: keyPrefix(key),
    keyHash: hashApiKey(key),
    roles: [spec.role],
    createdAt: new Date(),
    lastUsedAt: null,
    revokedAt: null,
    origin: 'api',
    scopes: spec.scopes,
    expiresAt: spec.expiresAt,
    createdBy: spec.createdBy,
    replacedBy: null,
  } satisfies ApiKeyEntity);
  await keys.insert(manager, entity);
  return { ...toApiKeyView(entity), key };
}

/**
 * Issuing in another workspace is for platform admins giving a workspace its
 * first keys: only workspace roles, never platform-admin.
 */
export function assertMayIssueIn(
  actorRoles: readonly string[],
  target: string,
  role: string,
): void {
  if (!actorRoles.includes(PLATFORM_ADMIN)) {
    throw new DomainError(
      ErrorCodes.forbidden,
      'only a platform-admin issues keys in another workspace',
    );
  }
  if (!(WORKSPACE_ROLES as readonly string[]).includes(role)) {
    throw DomainError.invalid(
      'role',
      `in workspace '${target}' a key takes one of ${WORKSPACE_ROLES.join(', ')}`,
    );
  }
}

export function parseExpiry(value: string | undefined, now: Date): Date | null {
  if (value === undefined) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw DomainError.invalid('expires_at', 'is not a date-time');
  if (date.getTime() <= now.getTime())
    throw DomainError.invalid('expires_at', 'must be in the future');
  return date;
}
