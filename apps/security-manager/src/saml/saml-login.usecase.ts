import type { SamlLoginQuery, SamlLoginView } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { SamlProviders } from './saml-providers';

/** A signed AuthnRequest to the IdP (HTTP-Redirect); its id is kept to match the response. */
@Injectable()
export class SamlLoginUseCase {
  constructor(private readonly providers: SamlProviders) {}

  async execute(query: SamlLoginQuery): Promise<SamlLoginView> {
    const { saml } = await this.providers.forWorkspace(query.workspace, query.public_url);
    const redirectUrl = await saml.getAuthorizeUrlAsync(query.relay_state ?? '', undefined, {});
    return { redirect_url: redirectUrl };
  }
}
