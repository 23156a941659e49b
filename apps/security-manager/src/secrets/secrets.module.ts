import { ResealModule, sealedColumn } from '@baton/service-kit';
import { spKeyContext } from '../saml/sp-keys';
import { sealContext as signingKeyContext } from '../signing-keys/signing-key-material';
import { Module } from '@nestjs/common';
import { DeleteSecretUseCase } from './delete-secret.usecase';
import { ListSecretsUseCase } from './list-secrets.usecase';
import { PutSecretUseCase } from './put-secret.usecase';
import { ResolveSecretUseCase } from './resolve-secret.usecase';
import { secretContext } from './secret.entity';
import { SecretsRepository } from './secrets.repository';

@Module({
  imports: [
    // After a key rotation, everything security-manager seals moves to the active key in the
    // background: the vault, token signing keys and SAML SP keys.
    ResealModule.forColumns([
      sealedColumn('secrets', 'sealed', ['workspace_id', 'name'], (row) =>
        secretContext(row.workspace_id, row.name),
      ),
      sealedColumn('signing_keys', 'private_sealed', ['kid'], (row) => signingKeyContext(row.kid)),
      sealedColumn('saml_configs', 'sp_private_key_sealed', ['workspace_id'], (row) =>
        spKeyContext(row.workspace_id),
      ),
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
