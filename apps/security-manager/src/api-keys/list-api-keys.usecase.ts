import {
  decodeCursor,
  DomainError,
  toPage,
  type ApiKeyView,
  type ListApiKeysQuery,
  type Page,
} from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import type { ApiKeyEntity } from './api-key.entity';
import { toApiKeyView } from './api-key.view';
import { ApiKeysRepository } from './api-keys.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The caller's workspace's keys, oldest first: prefixes and dates, never a key or hash. */
@Injectable()
export class ListApiKeysUseCase {
  constructor(private readonly keys: ApiKeysRepository) {}

  async execute(query: ListApiKeysQuery, workspaceId: string): Promise<Page<ApiKeyView>> {
    const limit = query.limit ?? 50;
    const after = parsePosition(decodeCursor(query.cursor));
    const rows = await this.keys.list(workspaceId, limit + 1, after);
    const now = new Date();
    return toPage(rows, limit, (row) => toApiKeyView(row, now), position);
  }
}

function position(key: ApiKeyEntity): string {
  return `${key.createdAt.toISOString()}|${key.id}`;
}

function parsePosition(
  position: string | undefined,
): { createdAt: string; id: string } | undefined {
  if (position === undefined) return undefined;
  const [createdAt, id] = position.split('|');
  if (!id || !UUID.test(id) || Number.isNaN(Date.parse(createdAt))) {
    throw DomainError.invalid('cursor', 'is not a cursor this API returned');
  }
  return { createdAt, id };
}
