import { DomainError } from '@baton/contracts';
import type { JsonSchema } from '../connector';
import type { HttpTarget } from '../openapi/openapi-call';

/**
 * An enterprise pack: a vendor's API as a bundled, trimmed OpenAPI 3
 * document (only the operations the pack offers, no `$ref`s), the config a
 * platform team fills in, and how that config becomes the http connector's
 * base URL and auth.
 */
export interface PackDefinition {
  kind: string;
  vendor: string;
  /** Which API of the vendor, as its documentation names it. */
  api: string;
  /** Where the vendor documents it. */
  docs: string;
  description: string;
  document: Record<string, unknown>;
  configSchema: JsonSchema;
  secretFields: { name: string; required?: boolean; description: string }[];
  /** The http connector's config and secrets of a connection of this pack. */
  http(config: Record<string, unknown>, secrets: Record<string, string>): HttpTarget;
  /** A modifying call first fetches a CSRF token (SAP Gateway) from this path below the base URL. */
  csrfPath?: string;
  /** Checks beyond the schema (a secret the chosen auth needs); throws DomainError. */
  validate?(config: Record<string, unknown>, secrets: Record<string, string>): void;
}

/** `https://host[:port][/path]` without a trailing slash. */
export const instanceUrl = (description: string): JsonSchema => ({
  type: 'string',
  format: 'uri',
  pattern: '^https?://[^?#]*$',
  description,
});

export function trimSlash(url: unknown): string {
  return String(url).replace(/\/+$/, '');
}

export function requireSecret(
  secrets: Record<string, string>,
  name: string,
  because: string,
): void {
  if (!secrets[name]) throw DomainError.invalid(`secrets.${name}`, `is required by ${because}`);
}

/** The secrets the http connector reads, from a pack's. */
export function pickSecrets(
  secrets: Record<string, string>,
  names: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) if (secrets[name] !== undefined) out[name] = secrets[name];
  return out;
}

/** One pack secret under the name the http connector reads (`api_token` as basic `password`). */
export function renameSecret(
  secrets: Record<string, string>,
  from: string,
  to: string,
): Record<string, string> {
  return secrets[from] !== undefined ? { [to]: secrets[from] } : {};
}
