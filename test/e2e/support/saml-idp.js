'use strict';

/**
 * A real SAML 2.0 identity provider for the e2e tests: samlify's
 * IdentityProvider (with the xmllint XML schema validator, compiled to
 * JavaScript, so no native build) behind a small HTTP server. It checks the
 * SP's signed AuthnRequest against the SP metadata Baton serves, and answers
 * with a signed assertion in an auto-posting HTML form, as an IdP does.
 *
 * Plain JavaScript on purpose: samlify's typings pull the DOM library into a
 * TypeScript program, which would change what `Response` means for the
 * services' code. saml-idp.d.ts describes this module.
 */
const http = require('node:http');
const { randomUUID } = require('node:crypto');
const samlify = require('samlify');
const validator = require('@authenio/samlify-node-xmllint');
const { generate } = require('selfsigned');

samlify.setSchemaValidator(validator);

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

const escapeXml = (text) => String(text).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

function attributeStatement(attributes) {
  const parts = Object.entries(attributes).map(
    ([name, values]) =>
      `<saml:Attribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${[]
        .concat(values)
        .map(
          (v) => `<saml:AttributeValue xsi:type="xs:string">${escapeXml(v)}</saml:AttributeValue>`,
        )
        .join('')}</saml:Attribute>`,
  );
  return `<saml:AttributeStatement>${parts.join('')}</saml:AttributeStatement>`;
}

/**
 * Starts the IdP. `signInAs(user, tags?)` sets who signs in next (the IdP's
 * own login page, skipped) and optionally overrides template values of the
 * response (e.g. `{ Audience: 'someone else' }`, as a misconfigured IdP would).
 */
async function startSamlIdp() {
  const keys = await generate([{ name: 'commonName', value: 'baton-e2e-idp' }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const idp = samlify.IdentityProvider({
    entityID: `${base}/metadata`,
    privateKey: keys.private,
    signingCert: keys.cert,
    wantAuthnRequestsSigned: true,
    nameIDFormat: ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'],
    singleSignOnService: [
      { Binding: REDIRECT, Location: `${base}/sso` },
      { Binding: POST, Location: `${base}/sso` },
    ],
  });
  let serviceProvider;
  let next = { user: { email: 'nobody@example.com', attributes: {} }, tags: {} };
  const requests = [];

  server.on('request', (request, response) => {
    handle(request)
      .then((html) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(html);
      })
      .catch((error) => {
        response.writeHead(400, { 'content-type': 'text/plain' });
        response.end(`IdP refused the request: ${error && error.message ? error.message : error}`);
      });
  });

  async function handle(request) {
    const url = new URL(request.url, base);
    if (url.pathname !== '/sso') throw new Error('not found');
    if (!serviceProvider) throw new Error('no service provider is trusted yet');
    // The signed octets are the query's parameters exactly as sent, in this order.
    const raw = url.search.slice(1).split('&');
    const pick = (name) => raw.find((part) => part.startsWith(`${name}=`));
    const octetString = ['SAMLRequest', 'RelayState', 'SigAlg'].map(pick).filter(Boolean).join('&');
    const query = Object.fromEntries(url.searchParams);
    const parsed = await idp.parseLoginRequest(serviceProvider, 'redirect', { query, octetString });
    const requestId = parsed.extract.request.id;
    requests.push({ id: requestId, issuer: parsed.extract.issuer, sigAlg: parsed.sigAlg });
    const { user, tags } = next;
    const built = await idp.createLoginResponse(serviceProvider, parsed, 'post', user, {
      relayState: query.RelayState,
      customTagReplacement: (template) => {
        const now = new Date();
        const later = new Date(now.getTime() + 5 * 60_000).toISOString();
        const acs = serviceProvider.entityMeta.getAssertionConsumerService(
          samlify.Constants.wording.binding.post,
        );
        const id = `_${randomUUID()}`;
        const authn = `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="_${randomUUID()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`;
        const withStatements = template
          .replace('{AuthnStatement}', authn)
          .replace('{AttributeStatement}', attributeStatement(user.attributes));
        const context = samlify.SamlLib.replaceTagsByValue(withStatements, {
          ID: id,
          AssertionID: `_${randomUUID()}`,
          Destination: acs,
          Audience: serviceProvider.entityMeta.getEntityID(),
          SubjectRecipient: acs,
          Issuer: idp.entityMeta.getEntityID(),
          IssueInstant: now.toISOString(),
          StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success',
          ConditionsNotBefore: now.toISOString(),
          ConditionsNotOnOrAfter: later,
          SubjectConfirmationDataNotOnOrAfter: later,
          NameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
          NameID: user.email,
          InResponseTo: requestId,
          ...tags,
        });
        return { id, context };
      },
    });
    return `<!doctype html><html><body onload="document.forms[0].submit()">
<form method="post" action="${escapeXml(built.entityEndpoint)}">
<input type="hidden" name="SAMLResponse" value="${escapeXml(built.context)}"/>
<input type="hidden" name="RelayState" value="${escapeXml(built.relayState || query.RelayState || '')}"/>
</form></body></html>`;
  }

  return {
    metadataXml: idp.getMetadata(),
    requests,
    trustServiceProvider(metadataXml) {
      serviceProvider = samlify.ServiceProvider({ metadata: metadataXml });
    },
    signInAs(user, tags = {}) {
      next = { user, tags };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The fields of the auto-posting form an IdP answers with: where to post, and what. */
function formOf(html) {
  const field = (name) => {
    const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
    return match
      ? match[1].replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)))
      : undefined;
  };
  const action = /action="([^"]*)"/.exec(html);
  return {
    action: action
      ? action[1].replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)))
      : undefined,
    SAMLResponse: field('SAMLResponse'),
    RelayState: field('RelayState'),
  };
}

module.exports = { startSamlIdp, formOf };
