import { useState, type FormEvent } from 'react';
import { ApiClient } from '../api/client';
import { looksLikeApiKey, ssoLoginUrl, storeApiKey, type SsoProtocol } from '../api/session';
import { useAction } from '../api/context';
import { LabelledInput, ProblemAlert } from '../components/common';

/** Signs in with an API key, checked against the gateway before it is kept for this tab. */
export function SignInPage({ onSignedIn }: { onSignedIn: (apiKey: string) => void }) {
  const [apiKey, setApiKey] = useState('');
  const signingIn = useAction();
  const [workspace, setWorkspace] = useState('default');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const key = apiKey.trim();
    if (!looksLikeApiKey(key)) {
      signingIn.setProblem({
        status: 400,
        title: 'That is not an API key',
        errors: [{ field: 'api_key', message: 'paste the whole key, without spaces' }],
      });
      return;
    }
    await signingIn.run(async () => {
      await new ApiClient(key).get('/v1/roles'); // any valid key may read the roles
      storeApiKey(key);
      onSignedIn(key);
    });
  }

  return (
    <main className="signin" id="main">
      <form onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Baton</h1>
        <p className="muted">
          Use an API key of your workspace. It is kept in this tab only and forgotten when the tab
          closes.
        </p>
        <LabelledInput
          id="api-key"
          label="API key"
          name="api_key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={apiKey}
          onChange={setApiKey}
          required
          autoFocus
        />
        <ProblemAlert
          problem={signingIn.problem}
          title={signingIn.problem?.status === 401 ? 'The key was refused' : undefined}
        />
        <button type="submit" disabled={signingIn.busy}>
          {signingIn.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <form
        className="signin-sso"
        aria-labelledby="sso-title"
        onSubmit={(event) => {
          event.preventDefault();
          // The button pressed says which protocol; Enter in the field means SAML, the first one.
          const submitter = (event.nativeEvent as SubmitEvent).submitter;
          const protocol: SsoProtocol =
            submitter instanceof HTMLButtonElement && submitter.value === 'oidc' ? 'oidc' : 'saml';
          // A full navigation: the gateway sends the browser to the provider and back to /console/.
          window.location.assign(ssoLoginUrl(workspace.trim() || 'default', protocol));
        }}
      >
        <h2 id="sso-title">Single sign-on</h2>
        <p className="muted">
          If your workspace signs people in through your company&apos;s identity provider (SAML) or
          OpenID provider, sign in there. The session is a cookie this page cannot read; no key is
          stored.
        </p>
        <LabelledInput
          id="sso-workspace"
          label="Workspace"
          name="workspace"
          autoComplete="organization"
          spellCheck={false}
          value={workspace}
          onChange={setWorkspace}
          required
        />
        <button type="submit" name="protocol" value="saml" className="ghost">
          Continue with single sign-on
        </button>
        <button type="submit" name="protocol" value="oidc" className="ghost">
          Continue with your OpenID provider
        </button>
      </form>
    </main>
  );
}
