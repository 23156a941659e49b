import { EncryptedDatabaseEnv } from '@baton/service-kit';
import { IsOptional, Matches, MaxLength, MinLength } from 'class-validator';

/** security-manager seals the vault with the keyring (BATON_ENCRYPTION_KEYS). */
export class SecurityEnv extends EncryptedDatabaseEnv {
  /**
   * An admin key for the `default` workspace, so a fresh install can be used
   * before any key was issued. Only its hash is stored.
   */
  @IsOptional()
  @MinLength(24, { message: 'BATON_BOOTSTRAP_API_KEY must be at least 24 characters' })
  @MaxLength(200, { message: 'BATON_BOOTSTRAP_API_KEY must be at most 200 characters' })
  @Matches(/^\S+$/, { message: 'BATON_BOOTSTRAP_API_KEY must not contain whitespace' })
  BATON_BOOTSTRAP_API_KEY?: string;
}
