// @ts-check
// A real OpenID provider (panva's oidc-provider, ESM only, hence its own
// process) for identity-providers.e2e-spec.ts: the client credentials grant
// with a resource indicator answers JWT access tokens (RFC 9068) whose
// `groups` claim depends on the client. It prints {"issuer": ...} once it
// listens. /test/sign is the test's own addition, beside the provider: it
// signs claims it is given with the provider's key (or a stranger's), for
// tokens a real provider would never issue (expired, another audience).
//
// For console sign-in (console-oidc.e2e-spec.ts) it also has a confidential
// client, `console-client`, for the authorization code flow, redirecting to
// the URIs in BATON_OIDC_REDIRECT_URIS. Its sign-in page signs in whoever the
// test named with POST /test/sign-in-as {account, groups} and consents for
// them at once (the test's stand-in for a person at the provider's form).
// POST /test/id-token-audience {audience} makes the token endpoint answer ID
// tokens re-signed for that audience: a provider that hands Baton a token
// meant for another client.
import Provider from 'oidc-provider';
import { SignJWT, decodeJwt, importJWK } from 'jose';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import process from 'node:process';

export const AUDIENCE = 'https://baton.e2e/api';

const rsaJwk = () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
};
const signingJwk = rsaJwk();
const strangerJwk = { ...rsaJwk(), kid: signingJwk.kid };

/** @type {Record<string, string[]>} */
const GROUPS = { 'ops-client': ['baton-operators', 'everyone'], 'nobody-client': ['everyone'] };
const SECRET = 'e2e-oidc-client-secret-0123456789abcdef';

const CONSOLE_CLIENT = 'console-client';
const redirectUris = (process.env.BATON_OIDC_REDIRECT_URIS ?? '').split(',').filter(Boolean);
/** @type {{ account: string, groups: string[] }} */
let signedIn = { account: 'nobody', groups: [] };
/** @type {string | undefined} */
let idTokenAudience;

/** @type {import('oidc-provider').default | undefined} */
let provider;

/** @param {import('node:http').IncomingMessage} request */
async function jsonBody(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The provider's token answer with its id_token re-signed for another audience.
 * @param {import('node:http').ServerResponse} response
 * @param {string} audience
 */
function substituteIdTokens(response, audience) {
  /** @type {Buffer[]} */
  const chunks = [];
  const end = response.end.bind(response);
  response.write = (/** @type {any} */ chunk) => {
    chunks.push(Buffer.from(chunk));
    return true;
  };
  // @ts-expect-error the provider ends with a body or none; the rewritten body is sent once.
  response.end = (/** @type {any} */ chunk) => {
    if (chunk) chunks.push(Buffer.from(chunk));
    const answer = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (typeof answer.id_token !== 'string') return end(Buffer.concat(chunks));
    void importJWK(signingJwk, 'RS256')
      .then((key) =>
        new SignJWT({ ...decodeJwt(answer.id_token), aud: audience })
          .setProtectedHeader({ alg: 'RS256', kid: signingJwk.kid })
          .sign(key),
      )
      .then((idToken) => {
        const body = Buffer.from(JSON.stringify({ ...answer, id_token: idToken }));
        response.setHeader('content-length', body.length);
        end(body);
      });
    return response;
  };
}

const server = createServer(async (request, response) => {
  if (request.url === '/test/sign-in-as' && request.method === 'POST') {
    signedIn = await jsonBody(request);
    response.writeHead(204).end();
    return;
  }
  if (request.url === '/test/id-token-audience' && request.method === 'POST') {
    idTokenAudience = (await jsonBody(request)).audience ?? undefined;
    response.writeHead(204).end();
    return;
  }
  if (request.url?.startsWith('/test/interaction/') && provider) {
    // The person named by the test signs in and consents to what the client asked.
    const details = await provider.interactionDetails(request, response);
    const grant = new provider.Grant({
      accountId: signedIn.account,
      clientId: String(details.params.client_id),
    });
    grant.addOIDCScope(String(details.params.scope ?? 'openid'));
    grant.addResourceScope(AUDIENCE, '');
    const grantId = await grant.save();
    await provider.interactionFinished(
      request,
      response,
      { login: { accountId: signedIn.account }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  if (idTokenAudience && request.url === '/token' && request.method === 'POST') {
    substituteIdTokens(response, idTokenAudience);
  }
  if (request.url === '/test/sign' && request.method === 'POST') {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const { claims, stranger } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const jwk = stranger ? strangerJwk : signingJwk;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'at+jwt' })
      .sign(await importJWK(jwk, 'RS256'));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ token }));
    return;
  }
  provider?.callback()(request, response);
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const issuer = `http://127.0.0.1:${port}`;
  provider = new Provider(issuer, {
    jwks: { keys: [signingJwk] },
    cookies: { keys: [randomUUID()] },
    clients: [
      ...Object.keys(GROUPS).map((client_id) => ({
        client_id,
        client_secret: SECRET,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: 'client_secret_basic',
      })),
      {
        client_id: CONSOLE_CLIENT,
        client_secret: SECRET,
        grant_types: ['authorization_code'],
        redirect_uris: redirectUris,
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    // Whoever the test signed in, with their groups in the ID token (scope `groups`).
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, groups: id === signedIn.account ? signedIn.groups : [] }),
    }),
    claims: { openid: ['sub'], groups: ['groups'] },
    scopes: ['openid', 'groups'],
    conformIdTokenClaims: false,
    interactions: { url: (_ctx, interaction) => `/test/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: '',
          audience: AUDIENCE,
          accessTokenTTL: 300,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    extraTokenClaims: (_ctx, token) => {
      const clientId = /** @type {{ clientId?: string }} */ (token).clientId ?? '';
      return { groups: GROUPS[clientId] ?? [] };
    },
  });
  process.stdout.write(
    `${JSON.stringify({ issuer, audience: AUDIENCE, secret: SECRET, consoleClient: CONSOLE_CLIENT })}\n`,
  );
});
