import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { DeleteSamlConfigUseCase } from './delete-saml-config.usecase';
import { GetSamlConfigUseCase } from './get-saml-config.usecase';
import { PutSamlConfigUseCase } from './put-saml-config.usecase';
import { SamlAcsUseCase } from './saml-acs.usecase';
import { SamlLoginUseCase } from './saml-login.usecase';
import { SamlMetadataUseCase } from './saml-metadata.usecase';
import { SamlProviders } from './saml-providers';
import { SamlRepository } from './saml.repository';
import { SpKeys } from './sp-keys';

const USE_CASES = [
  PutSamlConfigUseCase,
  GetSamlConfigUseCase,
  DeleteSamlConfigUseCase,
  SamlMetadataUseCase,
  SamlLoginUseCase,
  SamlAcsUseCase,
];

@Module({
  imports: [SessionsModule],
  providers: [SamlRepository, SpKeys, SamlProviders, ...USE_CASES],
  exports: USE_CASES,
})
export class SamlModule {}
