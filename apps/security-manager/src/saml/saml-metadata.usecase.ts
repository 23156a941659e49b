import type { SamlMetadataView, SamlWorkspaceQuery } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { SamlProviders } from './saml-providers';

/** The SP metadata an IdP admin imports: entity id, ACS URL, the SP's certificate. */
@Injectable()
export class SamlMetadataUseCase {
  constructor(private readonly providers: SamlProviders) {}

  async execute(query: SamlWorkspaceQuery): Promise<SamlMetadataView> {
    const { saml, config } = await this.providers.forWorkspace(query.workspace, query.public_url);
    return {
      xml: saml.generateServiceProviderMetadata(config.spCertificate, config.spCertificate),
    };
  }
}
