import {
  decodeCursor,
  toPage,
  type ListSecretsQuery,
  type Page,
  type SecretView,
} from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { toSecretView } from './secret.view';
import { SecretsRepository } from './secrets.repository';

@Injectable()
export class ListSecretsUseCase {
  constructor(private readonly secrets: SecretsRepository) {}

  async execute(query: ListSecretsQuery, workspaceId: string): Promise<Page<SecretView>> {
    const limit = query.limit ?? 100;
    const rows = await this.secrets.list(workspaceId, decodeCursor(query.cursor), limit + 1);
    return toPage(rows, limit, toSecretView, (row) => row.name);
  }
}
