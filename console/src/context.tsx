import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useState } from 'preact/hooks';
import type { ApiClient } from './api/client';
import type { Session } from './auth/session';
import type { ConsoleConfig } from './auth/console-config';

/** What every view of a signed-in console works with. */
export interface ConsoleContextValue {
  readonly config: ConsoleConfig;
  readonly session: Session;
  readonly api: ApiClient;
  /** The API's base URL, for downloads the typed client does not stream. */
  readonly apiUrl: string;
  readonly signOut: () => void;
}

export const ConsoleContext = createContext<ConsoleContextValue | undefined>(undefined);

export function useConsole(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('useConsole outside a signed-in console');
  return value;
}

export interface Loaded<T> {
  readonly data?: T;
  readonly error?: Error;
  readonly loading: boolean;
  /** Loads again in place (the page is not reloaded). */
  readonly reload: () => void;
}

/** Runs `load` when `deps` change and on `reload()`, keeping the last data while it reloads. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ data: previous.data, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState({ error: error as Error, loading: false }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, reload };
}
