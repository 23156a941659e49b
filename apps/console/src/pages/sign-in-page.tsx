import { useState, type FormEvent } from 'react';
import { ApiClient } from '../api/client';
import { problemOf, type Problem } from '../api/problem';
import { looksLikeApiKey, ssoLoginUrl, storeApiKey, type SsoProtocol } from '../api/session';
import { ProblemAlert } from '../components/common';

/** Signs in with an API key, checked against the gateway before it is kept for this tab. */
export function SignInPage({ onSignedIn }: { onSignedIn: (apiKey: string) => void }) {
  const [apiKey, setApiKey] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const [workspace, setWorkspace] = useState('default');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const key = apiKey.trim();
    if (!looksLikeApiKey(key)) {
      setProblem({
        status: 400,
        title: 'That is not an API key',
        errors: [{ field: 'api_key', message: 'paste the whole key, without spaces' }],
      });
      return;
    }
    setBusy(true);
    setProblem(undefined);
    try {
      await new ApiClient(key).get('/v1/roles'); // any valid key may read the roles
      storeApiKey(key);
      onSignedIn(key);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin" id="main">
      <form onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Baton</h1>
        <p className="muted">
          Use an API key of your workspace. It is kept in this tab only and forgotten when the tab
          closes.
        </p>
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          name="api_key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={apiKey}
          onChange={(event) => setApiKey(event.target.value)}
          required
          autoFocus
        />
        <ProblemAlert
          problem={problem}
          title={problem?.status === 401 ? 'The key was refused' : undefined}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
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
        <label htmlFor="sso-workspace">Workspace</label>
        <input
          id="sso-workspace"
          name="workspace"
          autoComplete="organization"
          spellCheck={false}
          value={workspace}
          onChange={(event) => setWorkspace(event.target.value)}
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
