import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '@shared/aws/query-all';
import { closedKey } from '@shared/quality/quality-store';
import { DIMENSIONS, type CounterDelta, type Dimension, type KpiTicket } from './kpi-ticket';
import { periodStart, STORED_PERIODS, type StoredPeriod } from './periods';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];


/** Counters of one period and group, as stored. */
export interface CounterItem {
  /** Local date the period starts on. */
  readonly period: string;
  readonly group: string;
  readonly counters: Readonly<Record<string, number>>;
}

/**
 * Key of a counter item: one partition per marketplace, stored period and dimension, sorted
 * by period start then group, so a report over any range is one Query per stored period.
 */
export const counterKey = (marketplace: string, stored: StoredPeriod, dimension: Dimension, start: string, group: string) => ({
  pk: `KPI#${marketplace}#${stored}#${dimension}`,
  sk: `${start}#${group}`,
});
const ticketKey = (ticketId: string) => ({ pk: `TICKET#${ticketId}`, sk: 'KPI' });

/** Attributes of a counter item that are not counters. */
const META = new Set(['pk', 'sk', 'period', 'group']);

/**
 * The reports table: counters per marketplace × stored period × dimension × group, and what
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
      const names: Record<string, string> = { '#period': 'period', '#group': 'group' };
      const values: Record<string, unknown> = { ':period': item.period, ':group': item.group };
      item.counters.forEach(([name, value], index) => {
        names[`#c${index}`] = name;
        values[`:c${index}`] = value;
      });
      return {
        Update: {
          TableName: this.reportsTable,
          Key: item.key,
          UpdateExpression: `SET #period = :period, #group = :group ADD ${item.counters.map((_, index) => `#c${index} :c${index}`).join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      };
    });
  }

  /** Counter items of `[fromStart, toStart)` (local dates) for one stored period and dimension: one Query, paged. */
  async counters(marketplace: string, stored: StoredPeriod, dimension: Dimension, fromStart: string, toStart: string): Promise<CounterItem[]> {
    // Sort keys are `<start>#<group>`: every key of a period starting before `toStart` sorts before it, and none at or after.
    const items = await queryAll(this.client, {
      TableName: this.reportsTable,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': counterKey(marketplace, stored, dimension, '', '').pk, ':from': fromStart, ':to': toStart },
    });
    return items.map((item) => ({
      period: String(item.period),
      group: String(item.group),
      counters: Object.fromEntries(Object.entries(item).filter(([name, value]) => !META.has(name) && typeof value === 'number')) as Record<string, number>,
    }));
  }
}

/** One counter item's share of some deltas. */
export interface MergedCounters {
  readonly key: { readonly pk: string; readonly sk: string };
  readonly period: string;
  readonly group: string;
  readonly counters: readonly (readonly [string, number])[];
}

/**
 * Deltas spread over the stored periods and every dimension, summed per counter item (a
 * transaction may name an item once); items whose sums are all zero are left out.
 */
export function mergeCounterDeltas(marketplace: string, deltas: readonly CounterDelta[], zone: string): MergedCounters[] {
  const items = new Map<string, { key: { pk: string; sk: string }; period: string; group: string; counters: Map<string, number> }>();
  for (const delta of deltas) {
    for (const stored of STORED_PERIODS) {
      const start = periodStart(stored, delta.at, zone);
      for (const dimension of DIMENSIONS) {
        const group = delta.groups[dimension];
        const key = counterKey(marketplace, stored, dimension, start, group);
        const id = `${key.pk}\n${key.sk}`;
        const item = items.get(id) ?? { key, period: start, group, counters: new Map<string, number>() };
        items.set(id, item);
        for (const [name, value] of Object.entries(delta.counters)) item.counters.set(name, (item.counters.get(name) ?? 0) + value);
      }
    }
  }
  return [...items.values()]
    .map((item) => ({ ...item, counters: [...item.counters].filter(([, value]) => value !== 0) }))
    .filter((item) => item.counters.length > 0);
}
