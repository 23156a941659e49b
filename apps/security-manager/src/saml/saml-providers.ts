import { DomainError } from '@baton/contracts';
import type { SAML } from '@node-saml/node-saml';
import { Injectable } from '@nestjs/common';
import type { SamlConfigEntity } from './saml-config.entity';
import { SamlRepository } from './saml.repository';
import { PostgresRequestCache, serviceProviderOf, spUrlsOf, type SpUrls } from './service-provider';
import { SpKeys } from './sp-keys';

export interface WorkspaceSp {
  config: SamlConfigEntity;
  urls: SpUrls;
  saml: SAML;
}

/** The SP of a workspace, built from its stored config for one request. */
@Injectable()
export class SamlProviders {
  constructor(
    private readonly repository: SamlRepository,
    private readonly keys: SpKeys,
  ) {}

  async forWorkspace(workspaceId: string, publicUrl: string): Promise<WorkspaceSp> {
    const config = await this.repository.findConfig(workspaceId);
    if (!config) {
      throw new DomainError(
        'SAML.NOT_CONFIGURED',
        `SAML sign-in is not configured for workspace '${workspaceId}'`,
        [{ field: 'workspace', message: 'has no SAML configuration' }],
      );
    }
    const urls = spUrlsOf(publicUrl, workspaceId);
    const privateKey = this.keys.open(workspaceId, config.spPrivateKeySealed);
    const cache = new PostgresRequestCache(this.repository, workspaceId);
    return { config, urls, saml: serviceProviderOf(config, urls, privateKey, cache) };
  }
}
