import { DomainError, ErrorCodes, isRole, PLATFORM_ADMIN } from '@baton/contracts';
import { createHash, X509Certificate } from 'node:crypto';
import { attributeOf, childrenOf, parseXmlTree, textOf } from './xml-tree';

const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const MAX_MAPPINGS = 200;

export interface IdpSettings {
  entityId: string;
  ssoUrl: string;
  certificates: string[];
}

const invalid = (field: string, message: string): DomainError =>
  new DomainError(ErrorCodes.validation, `${field}: ${message}`, [{ field, message }]);

/**
 * A certificate as PEM, from PEM or bare base64 DER (as metadata carries it),
 * checked to be a parseable X.509 certificate.
 */
export function normaliseCertificate(text: string, field: string): string {
  const body = text
    .replace(/-----BEGIN CERTIFICATE-----/g, '')
    .replace(/-----END CERTIFICATE-----/g, '')
    .replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body))
    throw invalid(field, 'is not a PEM or base64 certificate');
  const pem = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  try {
    new X509Certificate(pem);
  } catch {
    throw invalid(field, 'is not an X.509 certificate');
  }
  return pem;
}

export function certificateFingerprint(pem: string): string {
  return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
}

/** Only http(s) URLs: an SSO URL is where browsers are sent. */
function checkSsoUrl(url: string, field: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(field, 'is not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw invalid(field, 'must be an http or https URL');
  return parsed.toString();
}

/**
 * The entity id, HTTP-Redirect SSO URL and signing certificates of an IdP
 * metadata document (an EntityDescriptor, or the first with an IdP role in
 * an EntitiesDescriptor). No DTD is accepted, so no entity is expanded.
 */
export async function parseIdpMetadata(xml: string): Promise<IdpSettings> {
  const field = 'idp_metadata_xml';
  const root = await parseXmlTree(xml);
  if (!root) throw invalid(field, 'is not a well-formed XML document without DTD');
  const descriptors =
    root.name === 'EntityDescriptor'
      ? [root.element]
      : root.name === 'EntitiesDescriptor'
        ? childrenOf(root.element, 'EntityDescriptor')
        : [];
  const descriptor = descriptors.find((d) => childrenOf(d, 'IDPSSODescriptor').length > 0);
  if (!descriptor) throw invalid(field, 'has no EntityDescriptor with an IDPSSODescriptor');
  const entityId = attributeOf(descriptor, 'entityID');
  if (!entityId) throw invalid(field, 'the EntityDescriptor has no entityID');
  const idp = childrenOf(descriptor, 'IDPSSODescriptor')[0];
  const sso = childrenOf(idp, 'SingleSignOnService').find(
    (service) => attributeOf(service, 'Binding') === REDIRECT_BINDING,
  );
  const location = attributeOf(sso, 'Location');
  if (!location)
    throw invalid(field, 'names no SingleSignOnService with the HTTP-Redirect binding');
  const certificates = childrenOf(idp, 'KeyDescriptor')
    .filter((key) => {
      const use = attributeOf(key, 'use');
      return use === undefined || use === 'signing';
    })
    .flatMap((key) => childrenOf(key, 'KeyInfo'))
    .flatMap((info) => childrenOf(info, 'X509Data'))
    .flatMap((data) => childrenOf(data, 'X509Certificate'))
    .map((certificate) => normaliseCertificate(textOf(certificate), field));
  if (certificates.length === 0) throw invalid(field, 'names no signing certificate');
  if (entityId.length > 1_024) throw invalid(field, 'the entityID is longer than 1024 characters');
  return {
    entityId,
    ssoUrl: checkSsoUrl(location, field),
    certificates: [...new Set(certificates)].slice(0, 5),
  };
}

/** The IdP from metadata or from its three fields; one of the two, not both. */
export async function idpSettingsOf(input: {
  idp_metadata_xml?: string;
  idp_entity_id?: string;
  idp_sso_url?: string;
  idp_certificate?: string;
}): Promise<IdpSettings> {
  const fields = [input.idp_entity_id, input.idp_sso_url, input.idp_certificate];
  if (input.idp_metadata_xml !== undefined) {
    if (fields.some((value) => value !== undefined))
      throw invalid(
        'idp_metadata_xml',
        'send either idp_metadata_xml or idp_entity_id, idp_sso_url and idp_certificate, not both',
      );
    return parseIdpMetadata(input.idp_metadata_xml);
  }
  const names = ['idp_entity_id', 'idp_sso_url', 'idp_certificate'];
  const missing = names.filter((_, index) => fields[index] === undefined);
  if (missing.length > 0) throw invalid(missing[0], 'is required unless idp_metadata_xml is sent');
  return {
    entityId: input.idp_entity_id!,
    ssoUrl: checkSsoUrl(input.idp_sso_url!, 'idp_sso_url'),
    certificates: [normaliseCertificate(input.idp_certificate!, 'idp_certificate')],
  };
}

/** A mapping of attribute values to workspace roles; platform-admin is never granted by an IdP. */
export function checkRoleMapping(mapping: Record<string, unknown>): Record<string, string> {
  const entries = Object.entries(mapping);
  if (entries.length === 0) throw invalid('role_mapping', 'must map at least one attribute value');
  if (entries.length > MAX_MAPPINGS)
    throw invalid('role_mapping', `may map at most ${MAX_MAPPINGS} values`);
  const checked: Record<string, string> = {};
  for (const [value, role] of entries) {
    const field = `role_mapping.${value.slice(0, 100)}`;
    if (value.length === 0 || value.length > 256)
      throw invalid(field, 'attribute values must be 1 to 256 characters');
    if (typeof role !== 'string' || !isRole(role) || role === PLATFORM_ADMIN)
      throw invalid(field, `'${String(role).slice(0, 50)}' is not a workspace role`);
    checked[value] = role;
  }
  return checked;
}

/**
 * The roles a person gets: those mapped from the values of the attribute,
 * or the default role when none is mapped; none means no access.
 */
export function rolesFor(
  values: readonly string[],
  mapping: Record<string, string>,
  defaultRole: string | null,
): string[] {
  const roles = new Set<string>();
  for (const value of values) {
    if (Object.prototype.hasOwnProperty.call(mapping, value)) roles.add(mapping[value]);
  }
  if (roles.size === 0 && defaultRole) roles.add(defaultRole);
  return [...roles].sort();
}

/** The values of an attribute in node-saml's `profile.attributes` (a string, a list, or absent). */
export function attributeValues(attributes: unknown, attribute: string): string[] {
  if (attributes === null || typeof attributes !== 'object') return [];
  const raw = Object.prototype.hasOwnProperty.call(attributes, attribute)
    ? (attributes as Record<string, unknown>)[attribute]
    : undefined;
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  return list.filter((value): value is string => typeof value === 'string').slice(0, 500);
}
