import {
  DomainError,
  identityProviderSecretContext,
  type CreateIdentityProviderMessage,
  type IdentityProviderView,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { SecretBox, SecretBoxError } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { auditCommand } from '../audit/audit-in-transaction';
import { toIdentityProviderView } from './identity-provider.view';
import { clientSecretContext, type IdentityProviderEntity } from './identity-provider.entity';
import { IdentityProvidersRepository, type InsertOutcome } from './identity-providers.repository';
import { ProviderHttp, type DiscoveredEndpoints } from './provider-http';
import { checkRoleMapping } from './role-mapping';

export const MAX_PROVIDERS_PER_WORKSPACE = 20;

/**
 * Trusts an OpenID provider's access tokens in the caller's workspace: its
 * jwks_uri is discovered from the issuer now, and its keys are fetched once
 * to check that the provider answers as one. With a client id and secret,
 * people may also sign in to the console through it (ADR 0037): the secret
 * arrives sealed for the trip and is sealed again for its row.
 */
@Injectable()
export class CreateIdentityProviderUseCase {
  constructor(
    private readonly providers: IdentityProvidersRepository,
    private readonly http: ProviderHttp,
    private readonly uow: UnitOfWork,
    private readonly box: SecretBox,
  ) {}

  async execute(
    command: CreateIdentityProviderMessage,
    workspaceId: string,
  ): Promise<IdentityProviderView> {
    const roleMapping = checkRoleMapping(command.role_mapping);
    if (!this.http.acceptableUrl(command.issuer) || /[?#]/.test(command.issuer)) {
      throw DomainError.invalid('issuer', 'must be an https URL without query or fragment');
    }
    const clientSecret = this.clientSecretOf(command, workspaceId);
    const endpoints = await this.http.discover(command.issuer);
    if (command.client_id !== undefined) requireSignInEndpoints(endpoints);
    const keys = await this.http.keys(endpoints.jwksUri);
    if (keys.length === 0)
      throw DomainError.invalid('issuer', 'the provider publishes no signing key');
    const id = randomUUID();
    const withClient = command.client_id !== undefined;
    return this.uow.run(async (tx) => {
      const outcome = await this.providers.insert(
        id,
        {
          workspaceId,
          issuer: command.issuer,
          audience: command.audience,
          claim: command.claim,
          roleMapping,
          jwksUri: endpoints.jwksUri,
          clientId: command.client_id ?? null,
          clientSecretSealed: withClient
            ? this.box.seal(clientSecret, clientSecretContext(workspaceId, id))
            : null,
          scopes: withClient ? withOpenId(command.scopes) : null,
          authorizationEndpoint: endpoints.authorizationEndpoint,
          tokenEndpoint: endpoints.tokenEndpoint,
        },
        MAX_PROVIDERS_PER_WORKSPACE,
        tx.manager,
      );
      const provider = refusedOrCreated(outcome);
      await auditCommand(tx.manager, {
        action: 'identity-provider.create',
        resource: `identity-providers/${provider.id}`,
        details: {
          issuer: provider.issuer,
          audience: provider.audience,
          client_id: provider.clientId,
        },
      });
      return toIdentityProviderView(provider);
    });
  }

  /** A client id and its secret come together; the secret was sealed by the gateway. */
  private clientSecretOf(
    command: CreateIdentityProviderMessage,
    workspaceId: string,
  ): string | undefined {
    if (command.client_secret !== undefined) {
      // Only the gateway writes here, and it seals the secret; a plain one is refused, not stored.
      throw DomainError.invalid('client_secret', 'must arrive sealed (sealed_client_secret)');
    }
    const sealed = command.sealed_client_secret;
    if (command.client_id === undefined) {
      if (sealed !== undefined)
        throw DomainError.invalid('client_id', 'is required with a client_secret');
      if (command.scopes !== undefined)
        throw DomainError.invalid('client_id', 'is required with scopes');
      return undefined;
    }
    if (sealed === undefined) {
      throw DomainError.invalid(
        'client_secret',
        'is required with a client_id (a confidential client)',
      );
    }
    try {
      const secret = this.box.open(
        sealed,
        identityProviderSecretContext(workspaceId, command.issuer),
      );
      if (typeof secret !== 'string') throw new SecretBoxError('not a string');
      return secret;
    } catch (error) {
      if (!(error instanceof SecretBoxError)) throw error;
      throw DomainError.invalid('client_secret', 'could not be opened (keyrings differ?)');
    }
  }
}

/** Sign-in sends the browser to one endpoint and exchanges the code at the other. */
function requireSignInEndpoints(endpoints: DiscoveredEndpoints): void {
  if (!endpoints.authorizationEndpoint || !endpoints.tokenEndpoint) {
    throw DomainError.invalid(
      'client_id',
      "the provider's discovery document has no usable authorization_endpoint and token_endpoint",
    );
  }
}

/** The scopes asked at sign-in: as given, with `openid` first when it was missing. */
export function withOpenId(scopes: string | undefined): string {
  const names = (scopes ?? '').split(' ').filter((name) => name.length > 0);
  return ['openid', ...names.filter((name) => name !== 'openid')].join(' ');
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
