import { DomainError, ErrorCodes, type PublicJwk } from '@baton/contracts';
import { OutboundHttp, OutboundRefusedError } from '@baton/service-kit';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { SecurityEnv } from '../security-manager.env';

/** A provider that answers slower than this is treated as down: the command consumer waits on it. */
export const PROVIDER_TIMEOUT_MS = 3_000;
/** Discovery documents and key sets are a few kilobytes. */
export const PROVIDER_MAX_BYTES = 256 * 1024;
export const MAX_PROVIDER_KEYS = 50;

export interface DiscoveredEndpoints {
  jwksUri: string;
  authorizationEndpoint: string | null;
  tokenEndpoint: string | null;
}

const PUBLIC_PARAMETERS = ['kty', 'kid', 'alg', 'use', 'n', 'e', 'crv', 'x', 'y'];

/**
 * Discovery and key sets of external OpenID providers, fetched through the
 * outbound address guard (IDENTITY_PROVIDER_ALLOW_PRIVATE_NETWORKS lets them
 * be on loopback and private addresses, and over http), with a time and a size limit.
 */
@Injectable()
export class ProviderHttp implements OnModuleDestroy {
  private readonly http: OutboundHttp;
  readonly allowPrivateNetworks: boolean;

  constructor(env: SecurityEnv) {
    this.allowPrivateNetworks = env.IDENTITY_PROVIDER_ALLOW_PRIVATE_NETWORKS === true;
    this.http = new OutboundHttp({ allowPrivateNetworks: this.allowPrivateNetworks });
  }

  async onModuleDestroy(): Promise<void> {
    await this.http.close();
  }

  /**
   * The discovery document's endpoints, after checking it names the same
   * issuer (OIDC Discovery §4.3). The authorization and token endpoints are
   * null when absent or unusable: only console sign-in needs them.
   */
  async discover(issuer: string): Promise<DiscoveredEndpoints> {
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const document = await this.getJson(url, 'issuer');
    if (document.issuer !== issuer) {
      throw DomainError.invalid(
        'issuer',
        `the discovery document names issuer '${String(document.issuer).slice(0, 200)}', not this one`,
      );
    }
    const jwksUri = document.jwks_uri;
    if (typeof jwksUri !== 'string' || !this.acceptableUrl(jwksUri)) {
      throw DomainError.invalid('issuer', 'the discovery document has no usable jwks_uri');
    }
    const usable = (value: unknown): string | null =>
      typeof value === 'string' && value.length <= 2_048 && this.acceptableUrl(value)
        ? value
        : null;
    return {
      jwksUri,
      authorizationEndpoint: usable(document.authorization_endpoint),
      tokenEndpoint: usable(document.token_endpoint),
    };
  }

  /**
   * A form POST to the provider's token endpoint, authenticated as the
   * client (client_secret_basic, RFC 6749 §2.3.1): its JSON answer, whatever
   * the status (an error answer names the error, RFC 6749 §5.2).
   */
  async postToken(
    url: string,
    form: Record<string, string>,
    client: { id: string; secret: string },
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const basic = Buffer.from(
      `${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`,
    ).toString('base64');
    return this.request(
      url,
      {
        method: 'POST',
        headers: {
          accept: 'application/json',
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(form).toString(),
      },
      'code',
      true,
    );
  }

  /** The provider's public keys, private parameters dropped whatever the provider sent. */
  async keys(jwksUri: string): Promise<PublicJwk[]> {
    const document = await this.getJson(jwksUri, 'issuer');
    if (!Array.isArray(document.keys))
      throw DomainError.invalid('issuer', 'jwks_uri answered no key set');
    return document.keys
      .filter((key): key is Record<string, unknown> => typeof key === 'object' && key !== null)
      .filter((key) => ['RSA', 'EC', 'OKP'].includes(String(key.kty)))
      .slice(0, MAX_PROVIDER_KEYS)
      .map(
        (key) =>
          Object.fromEntries(
            PUBLIC_PARAMETERS.filter((name) => typeof key[name] === 'string').map((name) => [
              name,
              key[name],
            ]),
          ) as PublicJwk,
      );
  }

  /** https, or http when private networks are allowed (local development, tests). */
  acceptableUrl(text: string): boolean {
    try {
      const url = new URL(text);
      return url.protocol === 'https:' || (this.allowPrivateNetworks && url.protocol === 'http:');
    } catch {
      return false;
    }
  }

  private async getJson(url: string, field: string): Promise<Record<string, unknown>> {
    const { body } = await this.request(
      url,
      { headers: { accept: 'application/json' } },
      field,
      false,
    );
    return body;
  }

  /** One bounded call; with `anyStatus`, an error status with a JSON body is answered too. */
  private async request(
    url: string,
    init: { method?: string; headers: Record<string, string>; body?: string },
    field: string,
    anyStatus: boolean,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const host = new URL(url).host;
    let text: string;
    let status: number;
    try {
      const response = await this.http.fetch(url, {
        ...init,
        signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
      });
      status = response.status;
      if (!response.ok && !anyStatus) {
        await response.body?.cancel().catch(() => undefined);
        throw DomainError.invalid(field, `${host} answered ${response.status}`);
      }
      text = await readLimited(response.body, PROVIDER_MAX_BYTES, field);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      if (error instanceof OutboundRefusedError) {
        throw DomainError.invalid(field, `${host} is an address Baton does not call`);
      }
      throw new DomainError(
        ErrorCodes.upstreamFailed,
        `${host} did not answer in time or refused the connection`,
        [{ field, message: 'the identity provider could not be reached' }],
      );
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        return { status, body: parsed as Record<string, unknown> };
      }
    } catch {
      /* answered below */
    }
    throw DomainError.invalid(field, `${host} answered ${status}, not a JSON object`);
  }
}

async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  field: string,
): Promise<string> {
  if (!body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    // Leaving the loop cancels the stream.
    if (size > maxBytes)
      throw DomainError.invalid(field, `the provider answered more than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
