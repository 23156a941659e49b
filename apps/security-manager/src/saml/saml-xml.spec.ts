import { assertionFacts, outlineResponse } from './saml-xml';

const assertion = `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1" Version="2.0">
  <saml:Subject><saml:NameID>ada@example.com</saml:NameID>
    <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
      <saml:SubjectConfirmationData Recipient="https://baton.example/saml/acme/acs" InResponseTo="_r1"/>
    </saml:SubjectConfirmation></saml:Subject>
  <saml:Conditions NotBefore="2026-01-01T00:00:00Z" NotOnOrAfter="2026-01-01T00:05:00Z"/>
  <saml:AuthnStatement AuthnInstant="2026-01-01T00:00:00Z" SessionNotOnOrAfter="2026-01-01T08:00:00Z"/>
</saml:Assertion>`;

describe('SAML XML outline', () => {
  it('reads the Destination and the id of a plain assertion', async () => {
    const response = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" Destination="https://baton.example/saml/acme/acs">${assertion}</samlp:Response>`;
    expect(await outlineResponse(response)).toEqual({
      destination: 'https://baton.example/saml/acme/acs',
      assertionId: '_a1',
    });
  });

  it('is undefined for what is not a Response, and for any DTD', async () => {
    expect(await outlineResponse(assertion)).toBeUndefined();
    expect(await outlineResponse('garbage')).toBeUndefined();
    expect(
      await outlineResponse('<!DOCTYPE r [<!ENTITY a "aaaa">]><samlp:Response xmlns:samlp="x"/>'),
    ).toBeUndefined();
  });

  it('reads recipient and time limits from a verified assertion', async () => {
    expect(await assertionFacts(assertion)).toEqual({
      id: '_a1',
      recipients: ['https://baton.example/saml/acme/acs'],
      notOnOrAfter: new Date('2026-01-01T00:05:00Z'),
      sessionNotOnOrAfter: new Date('2026-01-01T08:00:00Z'),
    });
  });
});
