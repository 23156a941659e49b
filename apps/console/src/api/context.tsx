import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useState,
  type DependencyList,
} from 'react';
import type { ApiClient } from './client';
import { problemOf, type Problem } from './problem';

export const ApiContext = createContext<ApiClient | null>(null);

export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside a signed-in console');
  return api;
}

export interface Loaded<T> {
  data: T | undefined;
  problem: Problem | undefined;
  loading: boolean;
  reload: () => void;
}

/** Loads something from the API when its dependencies change; aborts the stale request. */
export function useLoad<T>(
  load: (api: ApiClient, signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
): Loaded<T> {
  const api = useApi();
  const [state, setState] = useState<{ data?: T; problem?: Problem; loading: boolean }>({
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    load(api, abort.signal).then(
      (data) => !abort.signal.aborted && setState({ data, loading: false }),
      (error: unknown) =>
        !abort.signal.aborted && setState({ problem: problemOf(error), loading: false }),
    );
    return () => abort.abort();
    // `load` is a new closure on every render; `deps` say when it means something new.
  }, [api, generation, ...deps]);
  // Stable, so a poller that depends on it is not restarted by every render.
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { ...state, reload } as Loaded<T>;
}

export interface Action {
  /** What went wrong the last time, until the next try. */
  problem: Problem | undefined;
  /** For a check the page makes itself before calling the API (a key that is no key). */
  setProblem: (problem: Problem | undefined) => void;
  /** True while the action is under way, so its button can say so and not be pressed twice. */
  busy: boolean;
  /** Runs the action; a failure becomes `problem` rather than an unhandled rejection. */
  run: (action: () => Promise<unknown>) => Promise<void>;
}

/** Something the user does (create, revoke, verify, sign in): its problem and whether it is under way. */
export function useAction(): Action {
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await action();
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  }, []);
  return { problem, setProblem, busy, run };
}
