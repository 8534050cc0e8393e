import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { bodyOf, type ApiClient } from '../api/client';
import type { paths } from '../api/schema';
import type { QueueItem, QueuePage } from '../api/types';
import { useConsole } from '../context';

/** The filters of `GET /tickets`, as the OpenAPI document types them (cursor and limit are the loader's). */
export type QueueQuery = Omit<NonNullable<paths['/tickets']['get']['parameters']['query']>, 'cursor' | 'limit'>;

/** The most tickets a queue view holds; a longer queue says so and shows the soonest due. */
export const MAX_QUEUE_ITEMS = 2000;
/** The API's largest page: fewest round trips for a long queue. */
const PAGE_SIZE = 100;

export interface LoadedQueue {
  readonly items: readonly QueueItem[];
  /** True while the first load runs (reloads keep the items shown until the new ones are in). */
  readonly loading: boolean;
  /** True while further pages of the first load are still being read. */
  readonly reading: boolean;
  /** True when the queue holds more than {@link MAX_QUEUE_ITEMS} tickets (the soonest due are shown). */
  readonly truncated: boolean;
  readonly error?: Error;
  /** When the items shown were read (browser time). */
  readonly loadedAt?: number;
  /** Reads the queue again in place, without a page reload. */
  readonly reload: () => void;
}

/**
 * The tickets of one or more `GET /tickets` queries, every page read (up to
 * {@link MAX_QUEUE_ITEMS}). One query keeps the API's order (open tickets soonest due first);
 * several are merged by due time. The first load shows each page as it arrives, so a long
 * queue is usable at once; a reload swaps the list only once it is read, so the rows do not jump.
 * With `refreshMs` the queue reloads itself on that interval.
 */
export function useQueue(queries: readonly QueueQuery[], refreshMs?: number): LoadedQueue {
  const { api } = useConsole();
  const key = JSON.stringify(queries);
  const [state, setState] = useState<Omit<LoadedQueue, 'reload'>>({ items: [], loading: true, reading: true, truncated: false });
  const [round, setRound] = useState(0);
  const shown = useRef(false);

  useEffect(() => {
    shown.current = false;
    setState({ items: [], loading: true, reading: true, truncated: false });
  }, [key]);

  useEffect(() => {
    let current = true;
    const progressive = !shown.current;
    void readAll(api, JSON.parse(key) as QueueQuery[], (items, done, truncated) => {
      if (!current || (!progressive && !done)) return;
      shown.current = true;
      setState({ items, loading: false, reading: !done, truncated, loadedAt: Date.now() });
    }).catch((error: unknown) => current && setState((previous) => ({ ...previous, loading: false, error: error as Error })));
    return () => {
      current = false;
    };
  }, [api, key, round]);

  useEffect(() => {
    if (!refreshMs) return;
    const timer = setInterval(() => setRound((n) => n + 1), refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, reload };
}

/** Reads every page of every query, calling `update` with the merged list after each page and once at the end. */
async function readAll(api: ApiClient, queries: readonly QueueQuery[], update: (items: QueueItem[], done: boolean, truncated: boolean) => void): Promise<void> {
  const lists: QueueItem[][] = queries.map(() => []);
  let truncated = false;
  const merged = () => (lists.length === 1 ? [...lists[0]!] : lists.flat().sort(byDue));
  await Promise.all(
    queries.map(async (query, index) => {
      let cursor: string | undefined;
      do {
        const page = bodyOf<QueuePage>(await api.GET('/tickets', { params: { query: { ...query, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } } }));
        lists[index]!.push(...page.items);
        cursor = page.cursor;
        if (lists[index]!.length >= MAX_QUEUE_ITEMS && cursor) {
          truncated = true;
          cursor = undefined;
        }
        if (cursor) update(merged(), false, false);
      } while (cursor);
    }),
  );
  update(merged().slice(0, MAX_QUEUE_ITEMS), true, truncated);
}

/** Soonest running deadline first; tickets with none last; then by id, so the order is stable. */
export function byDue(a: QueueItem, b: QueueItem): number {
  const dueA = a.nextDeadline?.dueAt ?? '\uffff';
  const dueB = b.nextDeadline?.dueAt ?? '\uffff';
  return dueA.localeCompare(dueB) || a.id.localeCompare(b.id);
}
