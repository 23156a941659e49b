// @ts-check
// A real OpenID provider (panva's oidc-provider, ESM only, hence its own
// process) for identity-providers.e2e-spec.ts: the client credentials grant
// with a resource indicator answers JWT access tokens (RFC 9068) whose
// `groups` claim depends on the client. It prints {"issuer": ...} once it
// listens. /test/sign is the test's own addition, beside the provider: it
// signs claims it is given with the provider's key (or a stranger's), for
// tokens a real provider would never issue (expired, another audience).
import Provider from 'oidc-provider';
import { SignJWT, importJWK } from 'jose';
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

/** @type {import('oidc-provider').default | undefined} */
let provider;

const server = createServer(async (request, response) => {
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
    clients: Object.keys(GROUPS).map((client_id) => ({
      client_id,
      client_secret: SECRET,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
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
  process.stdout.write(`${JSON.stringify({ issuer, audience: AUDIENCE, secret: SECRET })}\n`);
});
