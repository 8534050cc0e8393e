/** Percentile of a list of numbers (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Runs `task(i)` for i in [0, count) with at most `concurrency` in flight; returns each
 * latency in ms and the achieved rate per second.
 */
export async function closedLoop(count: number, concurrency: number, task: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await task(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { latencies, perSecond: count / seconds };
}

/** Starts `task(i)` at a fixed rate for `seconds`, whatever the answers do (open loop); returns latencies. */
export async function openLoop(ratePerSecond: number, seconds: number, task: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  // The tolerance keeps a count given as rate × seconds (2,000 / 60 × 60) from losing one to rounding.
  const total = Math.floor(ratePerSecond * seconds + 1e-9);
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const due = started + (i * 1000) / ratePerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const t0 = performance.now();
    inFlight.push(task(i).then(() => void latencies.push(performance.now() - t0)));
  }
  await Promise.all(inFlight);
  return { latencies };
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export function summarize(latencies: readonly number[]): LatencySummary {
  return { count: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.length ? Math.max(...latencies) : NaN };
}
