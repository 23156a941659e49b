import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

export interface OidcProviderInfo {
  issuer: string;
  audience: string;
  secret: string;
  /** The confidential client of the authorization code flow (console sign-in). */
  consoleClient: string;
}

/**
 * The real OpenID provider of oidc-provider-server.mjs, in a process of its
 * own (the package is ESM only; jest runs tests as CommonJS).
 */
export class OidcProvider {
  private child?: ChildProcess;
  info!: OidcProviderInfo;

  /** `redirectUris`: where `console-client` may send browsers back (Baton's OIDC callbacks). */
  async start(redirectUris: string[] = []): Promise<OidcProviderInfo> {
    const child = spawn(process.execPath, [path.join(__dirname, 'oidc-provider-server.mjs')], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, BATON_OIDC_REDIRECT_URIS: redirectUris.join(',') },
    });
    this.child = child;
    const lines = createInterface({ input: child.stdout! });
    this.info = await new Promise<OidcProviderInfo>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the OpenID provider exited with ${code}`)));
      lines.once('line', (line) => resolve(JSON.parse(line) as OidcProviderInfo));
    });
    return this.info;
  }

  /** An access token of the client credentials grant, as any client of the provider gets it. */
  async clientCredentialsToken(clientId: string): Promise<string> {
    const response = await fetch(`${this.info.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${this.info.secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: this.info.audience }),
    });
    const body = (await response.json()) as { access_token?: string; error?: string };
    if (!body.access_token) throw new Error(`the provider refused: ${JSON.stringify(body)}`);
    return body.access_token;
  }

  /** A token the provider would never issue, signed with its key (or a stranger's under its kid). */
  async sign(claims: Record<string, unknown>, stranger = false): Promise<string> {
    const response = await fetch(`${this.info.issuer}/test/sign`, {
      method: 'POST',
      body: JSON.stringify({ claims, stranger }),
    });
    return ((await response.json()) as { token: string }).token;
  }

  /** Who the provider's sign-in page signs in next (it consents for them at once). */
  async signInAs(account: string, groups: string[]): Promise<void> {
    await fetch(`${this.info.issuer}/test/sign-in-as`, {
      method: 'POST',
      body: JSON.stringify({ account, groups }),
    });
  }

  /** From now on the token endpoint answers ID tokens for this audience (undefined: its own). */
  async answerIdTokensFor(audience: string | undefined): Promise<void> {
    await fetch(`${this.info.issuer}/test/id-token-audience`, {
      method: 'POST',
      body: JSON.stringify({ audience: audience ?? null }),
    });
  }

  stop(): void {
    this.child?.kill();
  }
}
