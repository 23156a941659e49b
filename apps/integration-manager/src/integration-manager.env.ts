import { EncryptedDatabaseEnv } from '@baton/service-kit';

/** Connection credentials are encrypted at rest with BATON_ENCRYPTION_KEY. */
export class IntegrationEnv extends EncryptedDatabaseEnv {}
