import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '@shared/aws/query-all';
import { closedKey } from '@shared/quality/quality-store';
import type { CounterDelta, Dimension, KpiTicket } from './kpi-ticket';
import { periodStart, STORED_PERIODS, type StoredPeriod } from './periods';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The counter families: the dimensions one counter item is keyed by together. An event's
 * deltas land in one item per family and stored period, so an event with counts writes 4
 * counter items (2 periods × 2 families), each a transactional write, where an item per
 * dimension took 10. A report by a dimension reads its family's items and sums them by that
 * dimension's group. Agents stand alone, so a report per agent reads one item per agent and
 * period; the other four dimensions have a few values each, fixed by the webhook contract
 * (tiers 0–4, the categories, priorities and channels), so their family holds at most a few
 * hundred items a period, and in practice the few combinations tickets came in.
 */
export const COUNTER_FAMILIES = {
  agent: ['agent'],
  case: ['tier', 'category', 'priority', 'channel'],
} as const satisfies Record<string, readonly Dimension[]>;
export type CounterFamily = keyof typeof COUNTER_FAMILIES;

const FAMILIES = Object.keys(COUNTER_FAMILIES) as CounterFamily[];

/** The family a dimension's groups are kept in. */
export function familyOf(dimension: Dimension): CounterFamily {
  return FAMILIES.find((family) => (COUNTER_FAMILIES[family] as readonly Dimension[]).includes(dimension))!;
}

/** Counters of one period and group, as stored. */
export interface CounterItem {
  /** Local date the period starts on. */
  readonly period: string;
  readonly group: string;
  readonly counters: Readonly<Record<string, number>>;
}

/**
 * Key of a counter item: one partition per marketplace, stored period and family, sorted by
 * period start then the family's groups, so a report over any range is one Query per stored
 * period. (The agent family's keys are those counters had when each dimension had its own
 * items: `<start>#<agent>`.)
 */
export const counterKey = (marketplace: string, stored: StoredPeriod, family: CounterFamily, start: string, groups: readonly string[]) => ({
  pk: counterPartition(marketplace, stored, family),
  sk: [start, ...groups].join('#'),
});
const counterPartition = (marketplace: string, stored: StoredPeriod, family: CounterFamily | Dimension) => `KPI#${marketplace}#${stored}#${family}`;
const ticketKey = (ticketId: string) => ({ pk: `TICKET#${ticketId}`, sk: 'KPI' });

/** Attributes of a counter item that are not counters. */
const META = new Set(['pk', 'sk', 'period', 'groups', 'group']);

/**
 * The reports table: counters per marketplace × stored period × family × groups, and what
 * the aggregator knows of each ticket (its state as of the last applied audit event).
 */
export class KpiStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly reportsTable: string,
  ) {}

  /** What the aggregator knows of a ticket, read strongly consistent. */
  async ticket(ticketId: string): Promise<KpiTicket | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.reportsTable, Key: ticketKey(ticketId), ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...ticket } = Item;
    return ticket as KpiTicket;
  }

  /**
   * Writes the ticket's new state and its counter changes in one transaction, conditioned on
   * the state still being at `before` (its `lastSeq`). False, and nothing written, when
   * another run applied the event first.
   */
  async apply(before: KpiTicket | undefined, after: KpiTicket, deltas: readonly CounterDelta[], zone: string): Promise<boolean> {
    const state = {
      TableName: this.reportsTable,
      Item: { ...ticketKey(after.ticketId), ...after },
      ConditionExpression: before ? 'lastSeq = :last' : 'attribute_not_exists(pk)',
      ExpressionAttributeValues: before ? { ':last': before.lastSeq } : undefined,
    };
    const updates = [...this.counterUpdates(after.marketplace, deltas, zone), ...this.closingRecord(before, after, zone)];
    try {
      if (!updates.length) await this.client.send(new PutCommand(state));
      else await this.client.send(new TransactWriteCommand({ TransactItems: [{ Put: state }, ...updates] }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  /** A complaint that just closed is recorded by its local closing date and agent: the quality draw's candidates, one Query away. */
  private closingRecord(before: KpiTicket | undefined, after: KpiTicket, zone: string): TransactItem[] {
    if (!after.closedAt || before?.closedAt) return [];
    const item = { ...closedKey(after.marketplace, periodStart('day', after.closedAt, zone), after.ticketId), ticketId: after.ticketId, agent: after.agent, closedAt: after.closedAt };
    return [{ Put: { TableName: this.reportsTable, Item: item } }];
  }

  private counterUpdates(marketplace: string, deltas: readonly CounterDelta[], zone: string): TransactItem[] {
    return mergeCounterDeltas(marketplace, deltas, zone).map((item) => {
      const names: Record<string, string> = { '#period': 'period', '#groups': 'groups' };
      const values: Record<string, unknown> = { ':period': item.period, ':groups': item.groups };
      item.counters.forEach(([name, value], index) => {
        names[`#c${index}`] = name;
        values[`:c${index}`] = value;
      });
      return {
        Update: {
          TableName: this.reportsTable,
          Key: item.key,
          UpdateExpression: `SET #period = :period, #groups = :groups ADD ${item.counters.map((_, index) => `#c${index} :c${index}`).join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      };
    });
  }

  /**
   * Counter items of `[fromStart, toStart)` (local dates) for one stored period, each with its
   * group of `dimension`: the dimension's family, one Query, paged. Items of one period and
   * group may come several times (a family's items differ in its other dimensions); their sum
   * is the group's. Counters written while each dimension had its own items are read as well,
   * so the periods before an upgrade keep their figures.
   */
  async counters(marketplace: string, stored: StoredPeriod, dimension: Dimension, fromStart: string, toStart: string): Promise<CounterItem[]> {
    const family = familyOf(dimension);
    const partitions = family === dimension ? [family] : [family, dimension];
    const pages = await Promise.all(partitions.map((partition) => this.queryPeriods(counterPartition(marketplace, stored, partition), fromStart, toStart)));
    return pages.flat().map((item) => ({
      period: String(item.period),
      group: String((item.groups as Record<string, string> | undefined)?.[dimension] ?? item.group),
      counters: Object.fromEntries(Object.entries(item).filter(([name, value]) => !META.has(name) && typeof value === 'number')) as Record<string, number>,
    }));
  }

  private queryPeriods(pk: string, fromStart: string, toStart: string) {
    // Sort keys are `<start>#<groups>`: every key of a period starting before `toStart` sorts before it, and none at or after.
    return queryAll(this.client, {
      TableName: this.reportsTable,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': pk, ':from': fromStart, ':to': toStart },
    });
  }
}

/** One counter item's share of some deltas. */
export interface MergedCounters {
  readonly key: { readonly pk: string; readonly sk: string };
  readonly period: string;
  /** The item's group of each dimension of its family. */
  readonly groups: Readonly<Partial<Record<Dimension, string>>>;
  readonly counters: readonly (readonly [string, number])[];
}

/**
 * Deltas spread over the stored periods and the counter families, summed per counter item (a
 * transaction may name an item once); items whose sums are all zero are left out.
 */
export function mergeCounterDeltas(marketplace: string, deltas: readonly CounterDelta[], zone: string): MergedCounters[] {
  const items = new Map<string, Omit<MergedCounters, 'counters'> & { counters: Map<string, number> }>();
  for (const delta of deltas) {
    for (const stored of STORED_PERIODS) {
      const start = periodStart(stored, delta.at, zone);
      for (const family of FAMILIES) {
        const dimensions = COUNTER_FAMILIES[family];
        const key = counterKey(marketplace, stored, family, start, dimensions.map((dimension) => delta.groups[dimension]));
        const id = `${key.pk}\n${key.sk}`;
        const groups = Object.fromEntries(dimensions.map((dimension) => [dimension, delta.groups[dimension]]));
        const item = items.get(id) ?? { key, period: start, groups, counters: new Map<string, number>() };
        items.set(id, item);
        for (const [name, value] of Object.entries(delta.counters)) item.counters.set(name, (item.counters.get(name) ?? 0) + value);
      }
    }
  }
  return [...items.values()]
    .map((item) => ({ ...item, counters: [...item.counters].filter(([, value]) => value !== 0) }))
    .filter((item) => item.counters.length > 0);
}
