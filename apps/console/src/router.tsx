import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';

/** The console's own routes live under /console; the gateway answers index.html for all of them. */
export const BASE = '/console';

export interface Route {
  /** The path below /console, e.g. `/runs/123`. */
  path: string;
  search: URLSearchParams;
}

interface RouterValue {
  route: Route;
  navigate: (to: string) => void;
}

const RouterContext = createContext<RouterValue | null>(null);

function currentRoute(): Route {
  const { pathname, search } = window.location;
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) || '/' : '/';
  return { path, search: new URLSearchParams(search) };
}

/** History-API routing: enough for a handful of pages, no dependency. */
export function RouterProvider({ children }: { children: ReactNode }) {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const onPop = () => setRoute(currentRoute());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string) => {
    window.history.pushState(null, '', BASE + to);
    setRoute(currentRoute());
    window.scrollTo(0, 0);
  }, []);
  return <RouterContext.Provider value={{ route, navigate }}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error('useRouter outside RouterProvider');
  return value;
}

/** Matches `/runs/:id` against a path; answers the parameters or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(have[i]);
    else if (want[i] !== have[i]) return null;
  }
  return params;
}

/** An in-app link: a real <a href> (middle-click, keyboard) that routes without reloading. */
export function Link({
  to,
  children,
  className,
  ...rest
}: { to: string; children: ReactNode; className?: string } & Record<string, unknown>) {
  const { navigate } = useRouter();
  return (
    <a
      href={BASE + to}
      className={className}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(to);
      }}
      {...rest}
    >
      {children}
    </a>
  );
}
