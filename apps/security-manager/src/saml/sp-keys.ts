import { SecretBox } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { generate } from 'selfsigned';

/**
 * The SP's own key pair of a workspace: it signs AuthnRequests and decrypts
 * encrypted assertions. Generated once per workspace, sealed at rest.
 */
@Injectable()
export class SpKeys {
  constructor(private readonly box: SecretBox) {}

  async generate(workspaceId: string): Promise<{ certificate: string; sealedKey: string }> {
    const now = new Date();
    const tenYears = new Date(now.getTime() + 10 * 365 * 86_400_000);
    const pair = await generate([{ name: 'commonName', value: `baton-saml-sp-${workspaceId}` }], {
      keyType: 'rsa',
      keySize: 2048,
      algorithm: 'sha256',
      notBeforeDate: now,
      notAfterDate: tenYears,
    });
    return {
      certificate: pair.cert,
      sealedKey: this.box.seal(pair.private, spKeyContext(workspaceId)),
    };
  }

  open(workspaceId: string, sealedKey: string): string {
    return this.box.open(sealedKey, spKeyContext(workspaceId)) as string;
  }
}

export const spKeyContext = (workspaceId: string): string => `saml-sp-key/${workspaceId}`;
