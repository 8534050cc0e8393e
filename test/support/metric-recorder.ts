import type { Counter, MetricName } from '@shared/observability/metrics';

/** A Counter that remembers what was counted, for tests to assert on. */
export function metricRecorder(): Counter & { counted(): Partial<Record<MetricName, number>> } {
  const counts = new Map<MetricName, number>();
  return {
    count: (name, value = 1) => void counts.set(name, (counts.get(name) ?? 0) + value),
    counted: () => Object.fromEntries(counts),
  };
}
