import { DomainError, type SamlConfigQuery, type SamlConfigView } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { toSamlConfigView } from './saml-config.view';
import { SamlRepository } from './saml.repository';

@Injectable()
export class GetSamlConfigUseCase {
  constructor(private readonly repository: SamlRepository) {}

  async execute(query: SamlConfigQuery, workspaceId: string): Promise<SamlConfigView> {
    const config = await this.repository.findConfig(workspaceId);
    if (!config) throw DomainError.notFound('SAML configuration of workspace', workspaceId);
    return toSamlConfigView(config, query.public_url);
  }
}
