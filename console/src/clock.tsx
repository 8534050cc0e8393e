import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { ConsoleConfig } from './auth/console-config';

interface StackClock {
  /** The stack's time when read, and the browser's at that moment. */
  readonly stackMs: number;
  readonly readAtMs: number;
  readonly manual: boolean;
}

/**
 * "Now" as the API sees it, ticking every second, for countdowns and at-risk marks. In AWS
 * that is the browser's own time. The local stack may run a manual or scaled clock, so there
 * the console reads `/_local/clock` every few seconds: a manual clock stands still between
 * advances, the others run on from the last reading.
 */
export function useStackNow(config: ConsoleConfig, pollMs = 2000): number {
  const [clock, setClock] = useState<StackClock | undefined>();
  const [tick, setTick] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setTick(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (config.auth !== 'local') return;
    let stopped = false;
    const read = async () => {
      try {
        const response = await fetch(`${config.apiUrl}/_local/clock`, { cache: 'no-store' });
        const body = (await response.json()) as { now: string; mode: string };
        if (!stopped) setClock({ stackMs: Date.parse(body.now), readAtMs: Date.now(), manual: body.mode === 'manual' });
      } catch {
        // A missed reading keeps the last one; the next poll tries again.
      }
    };
    void read();
    const timer = setInterval(read, pollMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [config, pollMs]);
  if (!clock) return tick;
  return clock.manual ? clock.stackMs : clock.stackMs + (tick - clock.readAtMs);
}


const NowContext = createContext<number>(0);

/** One clock for the whole console; only the views that read it re-render each second. */
export function NowProvider({ config, children }: { config: ConsoleConfig; children: ComponentChildren }) {
  const now = useStackNow(config);
  return <NowContext.Provider value={now}>{children}</NowContext.Provider>;
}

/** The stack's "now" in milliseconds. */
export function useNow(): number {
  return useContext(NowContext);
}
