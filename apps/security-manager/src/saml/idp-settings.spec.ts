import { generate } from 'selfsigned';
import {
  attributeValues,
  certificateFingerprint,
  checkRoleMapping,
  idpSettingsOf,
  normaliseCertificate,
  parseIdpMetadata,
  rolesFor,
} from './idp-settings';

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

const metadataOf = (certificateBody: string, extra = ''): string => `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example/entity">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="encryption"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>not-this-one</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>
${certificateBody}
    </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example/post"/>
    <md:SingleSignOnService Binding="${REDIRECT}" Location="https://idp.example/sso"/>
    ${extra}
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;

describe('IdP settings', () => {
  let pem: string;
  let body: string;

  beforeAll(async () => {
    pem = (await generate([{ name: 'commonName', value: 'idp' }], { keySize: 2048 })).cert;
    body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').trim();
  });

  it('reads entity id, redirect SSO URL and the signing certificate from metadata', async () => {
    const settings = await parseIdpMetadata(metadataOf(body));
    expect(settings.entityId).toBe('https://idp.example/entity');
    expect(settings.ssoUrl).toBe('https://idp.example/sso');
    expect(settings.certificates).toHaveLength(1);
    expect(certificateFingerprint(settings.certificates[0])).toBe(
      certificateFingerprint(normaliseCertificate(pem, 'x')),
    );
  });

  it('refuses metadata with a DTD, without an IdP role, or without a redirect SSO URL', async () => {
    const withDtd = `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${metadataOf(body)}`;
    await expect(parseIdpMetadata(withDtd)).rejects.toThrow(/idp_metadata_xml/);
    await expect(
      parseIdpMetadata(
        '<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>',
      ),
    ).rejects.toThrow(/IDPSSODescriptor/);
    await expect(parseIdpMetadata(metadataOf(body).replace(REDIRECT, 'urn:other'))).rejects.toThrow(
      /HTTP-Redirect/,
    );
    await expect(parseIdpMetadata('<not xml')).rejects.toThrow(/well-formed/);
  });

  it('takes the three fields instead of metadata, not both', async () => {
    const settings = await idpSettingsOf({
      idp_entity_id: 'urn:idp',
      idp_sso_url: 'http://127.0.0.1:9/sso',
      idp_certificate: body,
    });
    expect(settings.certificates[0]).toContain('BEGIN CERTIFICATE');
    await expect(idpSettingsOf({ idp_entity_id: 'urn:idp' })).rejects.toMatchObject({
      errors: [{ field: 'idp_sso_url' }],
    });
    await expect(
      idpSettingsOf({ idp_metadata_xml: metadataOf(body), idp_entity_id: 'urn:idp' }),
    ).rejects.toThrow(/not both/);
    await expect(
      idpSettingsOf({ idp_entity_id: 'a', idp_sso_url: 'ftp://x/', idp_certificate: body }),
    ).rejects.toMatchObject({ errors: [{ field: 'idp_sso_url' }] });
    await expect(
      idpSettingsOf({ idp_entity_id: 'a', idp_sso_url: 'https://x/', idp_certificate: 'QUJD' }),
    ).rejects.toMatchObject({ errors: [{ field: 'idp_certificate' }] });
  });
});

describe('role mapping', () => {
  it('accepts workspace roles only; an IdP never grants platform-admin', () => {
    expect(checkRoleMapping({ engineers: 'developer', ops: 'operator' })).toEqual({
      engineers: 'developer',
      ops: 'operator',
    });
    expect(() => checkRoleMapping({ root: 'platform-admin' })).toThrow(/not a workspace role/);
    expect(() => checkRoleMapping({ x: 'superuser' })).toThrow(/not a workspace role/);
    expect(() => checkRoleMapping({ x: 42 })).toThrow(/not a workspace role/);
    expect(() => checkRoleMapping({})).toThrow(/at least one/);
  });

  it('maps every value, falls back to the default role, and otherwise gives none', () => {
    const mapping = { eng: 'developer', ops: 'operator' };
    expect(rolesFor(['ops', 'eng', 'sales'], mapping, null)).toEqual(['developer', 'operator']);
    expect(rolesFor(['sales'], mapping, 'viewer')).toEqual(['viewer']);
    expect(rolesFor(['sales'], mapping, null)).toEqual([]);
    expect(rolesFor(['constructor', '__proto__'], mapping, null)).toEqual([]);
  });

  it('reads an attribute given once or many times, ignoring what is not text', () => {
    expect(attributeValues({ role: 'eng' }, 'role')).toEqual(['eng']);
    expect(attributeValues({ role: ['eng', { x: 1 }, 'ops'] }, 'role')).toEqual(['eng', 'ops']);
    expect(attributeValues({}, 'role')).toEqual([]);
    expect(attributeValues(undefined, 'role')).toEqual([]);
  });
});
