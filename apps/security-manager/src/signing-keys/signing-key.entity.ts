import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A key pair that signs Baton's access tokens; the private half is sealed (SecretBox). */
@Entity({ name: 'signing_keys' })
export class SigningKeyEntity {
  @PrimaryColumn({ type: 'text' })
  kid!: string;

  @Column({ type: 'text' })
  alg!: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: Record<string, unknown>;

  /** `SecretBox.seal(privateJwk, 'signing-key/<kid>')`. */
  @Column({ name: 'private_sealed', type: 'text' })
  privateSealed!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** When it stopped signing; null for the one active key. */
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;

  /** Retired keys stay in the JWKS until every token they signed has expired. */
  @Column({ name: 'published_until', type: 'timestamptz', nullable: true })
  publishedUntil!: Date | null;
}
