import { useEffect, useMemo, useState } from 'react';
import { ApiClient } from './api/client';
import { ApiContext } from './api/context';
import { endSsoSession, forgetApiKey, hasSsoSession, storedApiKey } from './api/session';
import { AgentsPage } from './pages/agents-page';
import { AlertsPage } from './pages/alerts-page';
import { ApiKeysPage } from './pages/api-keys-page';
import { AuditPage } from './pages/audit-page';
import { IntegrationsPage } from './pages/integrations-page';
import { DesignerPage } from './pages/designer-page';
import { EventsPage } from './pages/events-page';
import { RunPage } from './pages/run-page';
import { RunsPage } from './pages/runs-page';
import { SignInPage } from './pages/sign-in-page';
import { PageErrorBoundary } from './components/page-error-boundary';
import { WorkflowPage } from './pages/workflow-page';
import { WorkflowsPage } from './pages/workflows-page';
import { Link, match, useRouter } from './router';
import { applyTheme, initialTheme, ThemeContext, type Theme } from './theme';

const NAV = [
  { to: '/workflows', label: 'Workflows' },
  { to: '/designer', label: 'Designer' },
  { to: '/runs', label: 'Runs' },
  { to: '/agents', label: 'Agents' },
  { to: '/events', label: 'Events' },
  { to: '/integrations', label: 'Integrations' },
  { to: '/alerts', label: 'Alerts' },
  { to: '/audit', label: 'Audit' },
  { to: '/api-keys', label: 'API keys' },
];

export function App() {
  const [apiKey, setApiKey] = useState(storedApiKey);
  // Without a key in this tab, the browser may still hold an SSO session (cookie): ask once.
  const [sso, setSso] = useState<'checking' | 'yes' | 'no'>(apiKey ? 'no' : 'checking');
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const api = useMemo(
    () => (apiKey ? new ApiClient(apiKey) : sso === 'yes' ? new ApiClient(null) : null),
    [apiKey, sso],
  );
  const { route, navigate } = useRouter();

  useEffect(() => {
    if (sso !== 'checking') return;
    let live = true;
    void hasSsoSession().then((yes) => live && setSso(yes ? 'yes' : 'no'));
    return () => {
      live = false;
    };
  }, [sso]);

  useEffect(() => applyTheme(theme), [theme]);
  useEffect(() => {
    if (route.path === '/' && api) navigate('/workflows');
  }, [route.path, api, navigate]);

  const themeToggle = (
    <button
      type="button"
      className="ghost"
      onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
      aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
    >
      {theme === 'dark' ? '☀ Light' : '☾ Dark'}
    </button>
  );

  if (!api && sso === 'checking') {
    return (
      <main className="signin" id="main">
        <p role="status">Checking your session…</p>
      </main>
    );
  }

  if (!api) {
    return (
      <>
        <div className="signin-theme">{themeToggle}</div>
        <SignInPage onSignedIn={setApiKey} />
      </>
    );
  }

  return (
    <ApiContext.Provider value={api}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/workflows" className="brand">
          Baton
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <Link
                  to={item.to}
                  aria-current={route.path.startsWith(item.to) ? 'page' : undefined}
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-actions">
          {themeToggle}
          <button
            type="button"
            className="ghost"
            onClick={() => {
              forgetApiKey();
              setApiKey(null);
              if (api.usesSession) void endSsoSession().finally(() => setSso('no'));
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <ThemeContext.Provider value={theme}>
          <PageErrorBoundary resetKey={route.path}>
            <Page path={route.path} />
          </PageErrorBoundary>
        </ThemeContext.Provider>
      </main>
    </ApiContext.Provider>
  );
}

function Page({ path }: { path: string }) {
  let params: Record<string, string> | null;
  if (match('/workflows', path)) return <WorkflowsPage />;
  if ((params = match('/workflows/:name', path))) return <WorkflowPage name={params.name} />;
  if (match('/designer', path)) return <DesignerPage key="new" />;
  if ((params = match('/designer/:name', path)))
    return <DesignerPage key={params.name} name={params.name} />;
  if (match('/runs', path)) return <RunsPage />;
  if ((params = match('/runs/:id', path))) return <RunPage key={params.id} id={params.id} />;
  if (match('/agents', path)) return <AgentsPage />;
  if (match('/events', path)) return <EventsPage />;
  if (match('/integrations', path)) return <IntegrationsPage />;
  if (match('/alerts', path)) return <AlertsPage />;
  if (match('/audit', path)) return <AuditPage />;
  if (match('/api-keys', path)) return <ApiKeysPage />;
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is no console page at <code>{path}</code>.{' '}
        <Link to="/workflows">Go to workflows</Link>.
      </p>
    </section>
  );
}
