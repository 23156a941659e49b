import {
  DomainError,
  type CreateIdentityProviderCommand,
  type IdentityProviderView,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { auditCommand } from '../audit/audit-in-transaction';
import { toIdentityProviderView } from './identity-provider.view';
import type { IdentityProviderEntity } from './identity-provider.entity';
import { IdentityProvidersRepository, type InsertOutcome } from './identity-providers.repository';
import { ProviderHttp } from './provider-http';
import { checkRoleMapping } from './role-mapping';

export const MAX_PROVIDERS_PER_WORKSPACE = 20;

/**
 * Trusts an OpenID provider's access tokens in the caller's workspace: its
 * jwks_uri is discovered from the issuer now, and its keys are fetched once
 * to check that the provider answers as one.
 */
@Injectable()
export class CreateIdentityProviderUseCase {
  constructor(
    private readonly providers: IdentityProvidersRepository,
    private readonly http: ProviderHttp,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(
    command: CreateIdentityProviderCommand,
    workspaceId: string,
  ): Promise<IdentityProviderView> {
    const roleMapping = checkRoleMapping(command.role_mapping);
    if (!this.http.acceptableUrl(command.issuer) || /[?#]/.test(command.issuer)) {
      throw DomainError.invalid('issuer', 'must be an https URL without query or fragment');
    }
    const jwksUri = await this.http.discover(command.issuer);
    const keys = await this.http.keys(jwksUri);
    if (keys.length === 0)
      throw DomainError.invalid('issuer', 'the provider publishes no signing key');
    return this.uow.run(async (tx) => {
      const outcome = await this.providers.insert(
        {
          workspaceId,
          issuer: command.issuer,
          audience: command.audience,
          claim: command.claim,
          roleMapping,
          jwksUri,
        },
        MAX_PROVIDERS_PER_WORKSPACE,
        tx.manager,
      );
      const provider = refusedOrCreated(outcome);
      await auditCommand(tx.manager, {
        action: 'identity-provider.create',
        resource: `identity-providers/${provider.id}`,
        details: { issuer: provider.issuer, audience: provider.audience },
      });
      return toIdentityProviderView(provider);
    });
  }
}

function refusedOrCreated(outcome: InsertOutcome): IdentityProviderEntity {
  if (outcome === 'taken') {
    throw new DomainError(
      'IDENTITY_PROVIDER.AUDIENCE_TAKEN',
      'this issuer and audience are already trusted; use an audience of your own',
      [{ field: 'audience', message: 'already in use with this issuer' }],
    );
  }
  if (outcome === 'full') {
    throw new DomainError(
      'IDENTITY_PROVIDER.LIMIT',
      `this workspace already has ${MAX_PROVIDERS_PER_WORKSPACE} identity providers`,
    );
  }
  return outcome;
}
