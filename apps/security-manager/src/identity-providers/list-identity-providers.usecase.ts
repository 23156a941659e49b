import {
  onePage,
  type IdentityProviderDirectoryView,
  type IdentityProviderView,
  type Page,
} from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { toDirectoryEntry, toIdentityProviderView } from './identity-provider.view';
import { IdentityProvidersRepository } from './identity-providers.repository';

@Injectable()
export class ListIdentityProvidersUseCase {
  constructor(private readonly providers: IdentityProvidersRepository) {}

  /** One page: a workspace has at most MAX_PROVIDERS_PER_WORKSPACE providers. */
  async execute(workspaceId: string): Promise<Page<IdentityProviderView>> {
    const providers = await this.providers.list(workspaceId);
    return onePage(providers.map(toIdentityProviderView));
  }

  /** For the gateway (system workspace only): every provider, to find a token's by iss + aud. */
  async directory(): Promise<IdentityProviderDirectoryView> {
    return { providers: (await this.providers.all()).map(toDirectoryEntry) };
  }
}
