import { ResealModule } from '@baton/service-kit';
import { Module } from '@nestjs/common';
import { DeleteSecretUseCase } from './delete-secret.usecase';
import { ListSecretsUseCase } from './list-secrets.usecase';
import { PutSecretUseCase } from './put-secret.usecase';
import { ResolveSecretUseCase } from './resolve-secret.usecase';
import { secretContext } from './secret.entity';
import { SecretsRepository } from './secrets.repository';

@Module({
  imports: [
    // After a key rotation, the vault moves to the active key in the background.
    ResealModule.forColumns([
      {
        name: 'secrets.sealed',
        table: 'secrets',
        column: 'sealed',
        keyColumns: ['workspace_id', 'name'],
        context: (row) => secretContext(row.workspace_id, row.name),
      },
    ]),
  ],
  providers: [
    SecretsRepository,
    PutSecretUseCase,
    ListSecretsUseCase,
    DeleteSecretUseCase,
    ResolveSecretUseCase,
  ],
  exports: [PutSecretUseCase, ListSecretsUseCase, DeleteSecretUseCase, ResolveSecretUseCase],
})
export class SecretsModule {}
