import { useEffect, useRef } from 'preact/hooks';

/** Calls `run` every `ms` while the component is shown (the latest `run`, so it may change freely). */
export function useInterval(run: () => void, ms: number): void {
  const latest = useRef(run);
  latest.current = run;
  useEffect(() => {
    const timer = setInterval(() => latest.current(), ms);
    return () => clearInterval(timer);
  }, [ms]);
}
