/**
 * Fixed duration buckets, so percentiles come from counters that simply add up across
 * events, days and agents. Each bucket is named by its upper bound in seconds; a duration
 * goes into the first bucket whose bound it does not exceed. The resolution (a bucket's
 * width) is 1 minute up to 30 minutes, 5 minutes up to 2 hours, 15 minutes up to 8 hours,
 * 1 hour up to 48 hours and 6 hours up to 7 days; beyond 7 days one open bucket.
 */
function bounds(): number[] {
  const list: number[] = [];
  const step = (upTo: number, width: number) => {
    let bound = list.at(-1) ?? 0;
    while (bound < upTo) list.push((bound += width));
  };
  step(30 * 60, 60);
  step(2 * 3600, 5 * 60);
  step(8 * 3600, 15 * 60);
  step(48 * 3600, 3600);
  step(7 * 86400, 6 * 3600);
  return list;
}

/** Upper bounds, in seconds, of every bucket but the open last one. */
export const BUCKET_BOUNDS: readonly number[] = bounds();

/** Index of the open bucket for durations over 7 days. */
export const OVERFLOW_BUCKET = BUCKET_BOUNDS.length;

/** The bucket a duration (seconds, never negative) falls into. */
export function bucketOf(seconds: number): number {
  let low = 0;
  let high = BUCKET_BOUNDS.length;
  // The first bound ≥ seconds (binary search over the sorted bounds).
  while (low < high) {
    const middle = (low + high) >> 1;
    if (BUCKET_BOUNDS[middle]! >= seconds) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** What a percentile reports for a duration: the upper bound of its bucket (null past 7 days: unbounded). */
export function bucketUpperBound(seconds: number): number | null {
  return BUCKET_BOUNDS[bucketOf(seconds)] ?? null;
}

/**
 * The nearest-rank percentile `p` (0–1) of the durations counted in `buckets` (bucket index →
 * count): the upper bound of the bucket holding the ⌈p·n⌉-th smallest duration.
 */
export function percentileOf(buckets: ReadonlyMap<number, number>, p: number): { rank: number; count: number; seconds: number | null } | null {
  const count = [...buckets.values()].reduce((sum, n) => sum + n, 0);
  if (count === 0) return null;
  const rank = Math.max(1, Math.ceil(p * count));
  let seen = 0;
  for (const index of [...buckets.keys()].sort((a, b) => a - b)) {
    seen += buckets.get(index)!;
    if (seen >= rank) return { rank, count, seconds: BUCKET_BOUNDS[index] ?? null };
  }
  return null;
}
