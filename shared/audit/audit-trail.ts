import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { cursorKeyValue, decodeCursor, encodeCursor } from '@shared/aws/page-cursor';
import { queryAll } from '@shared/aws/query-all';
import type { Clock } from '@shared/clock';
import { ConflictError, ValidationError } from '@shared/errors';
import { GENESIS_HASH, type Actor, type Via } from './audit-event';
import { recordFromItem, type AuditRecord } from './audit-record';
import { chainMarketplaceEvent, type MarketplaceAuditEvent } from './marketplace-event';

/** One page of audit records in time order. */
export interface AuditPage {
  readonly events: AuditRecord[];
  /** Opaque position after the last record, for the next page; absent on the last page. */
  readonly cursor?: string;
}

/** A range of a marketplace's audit records, `[from, to)`, optionally one actor's or one action's. */
export interface AuditQuery {
  readonly marketplace: string;
  readonly from: string;
  readonly to: string;
  readonly actor?: Actor;
  readonly action?: string;
}

export interface AuditTrailOptions {
  readonly client: DynamoDBDocumentClient;
  readonly auditTable: string;
  readonly clock: Clock;
}

/** The audit table key of a marketplace's own chain. */
export const marketplaceChainKey = (marketplace: string) => `MARKETPLACE#${marketplace}`;
const sortKey = (seq: number) => `SEQ#${String(seq).padStart(10, '0')}`;

/** What a cursor holds: the key of the last record read, on the index that was queried. */
const cursorSchema = z.object({
  pk: cursorKeyValue,
  sk: cursorKeyValue,
  atKey: cursorKeyValue,
  marketplace: cursorKeyValue.optional(),
  actorKey: cursorKeyValue.optional(),
});

/** The actor's key on the `by-actor` index. */
export const actorKeyOf = (actor: Actor) => `${actor.type}#${actor.id}`;

/**
 * Whether an actor's events are on the `by-actor` index: people's, marketplaces' and API
 * principals', not the system's (the workflow, the callbacks, the notifier, the reconciler).
 * The system writes about half of a ticket's events, each an index write that no one asked
 * for by actor; a query for a system actor reads the marketplace's events and filters them.
 */
const onActorIndex = (actor: Actor) => actor.type !== 'system';

/** The attributes that put an event on the `by-actor` index, when its actor is on it. */
export const actorIndexAttributes = (actor: Actor): { actorKey?: string } => (onActorIndex(actor) ? { actorKey: actorKeyOf(actor) } : {});

/**
 * Reads the audit table by its indexes only (never reading the whole table), and appends marketplace events to
 * their chain. It never updates or deletes: the functions that use it hold only Query,
 * GetItem and PutItem on the audit table.
 */
export class AuditTrail {
  constructor(private readonly options: AuditTrailOptions) {}

  /**
   * One page of the query's records in time order: a Query on `by-marketplace`, or on
   * `by-actor` (filtered to the marketplace) when an actor on that index is given; a system
   * actor's are the marketplace's filtered by actor. With a filter, a page may hold fewer than
   * `limit` records, even none, and still carry a cursor.
   */
  async page(query: AuditQuery, cursor: string | undefined, limit = 100): Promise<AuditPage> {
    const byActor = query.actor !== undefined && onActorIndex(query.actor);
    const indexKey = byActor ? 'actorKey' : 'marketplace';
    const indexValue = byActor ? actorKeyOf(query.actor!) : query.marketplace;
    const filters: string[] = [];
    const values: Record<string, unknown> = { ':key': indexValue, ':from': query.from, ':to': query.to };
    const names: Record<string, string> = {};
    if (byActor) {
      filters.push('marketplace = :marketplace');
      values[':marketplace'] = query.marketplace;
    } else if (query.actor !== undefined) {
      filters.push('#actor.#type = :actorType AND #actor.#id = :actorId');
      Object.assign(names, { '#actor': 'actor', '#type': 'type', '#id': 'id' });
      Object.assign(values, { ':actorType': query.actor.type, ':actorId': query.actor.id });
    }
    if (query.action !== undefined) {
      filters.push('#action = :action');
      names['#action'] = 'action';
      values[':action'] = query.action;
    }
    const page = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.auditTable,
        IndexName: byActor ? 'by-actor' : 'by-marketplace',
        // An atKey starts with its record's time, so one at exactly `from` sorts after `from`
        // (included) and one at exactly `to` after `to` (excluded): the range is [from, to).
        KeyConditionExpression: `${indexKey} = :key AND atKey BETWEEN :from AND :to`,
        FilterExpression: filters.length ? filters.join(' AND ') : undefined,
        ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
        ExpressionAttributeValues: values,
        ExclusiveStartKey: cursor === undefined ? undefined : startKeyOf(cursor, indexKey, indexValue, query),
        Limit: limit,
      }),
    );
    return { events: (page.Items ?? []).map(recordFromItem), cursor: encodeCursor(page.LastEvaluatedKey) };
  }

  /** Every record of the query, page after page, in time order. */
  async *all(query: AuditQuery, pageSize = 500): AsyncGenerator<AuditRecord> {
    let cursor: string | undefined;
    do {
      const page = await this.page(query, cursor, pageSize);
      yield* page.events;
      cursor = page.cursor;
    } while (cursor);
  }

  /** A marketplace's own chain (exports and the like), in sequence order. */
  async marketplaceChain(marketplace: string): Promise<AuditRecord[]> {
    const items = await queryAll(this.options.client, {
      TableName: this.options.auditTable,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': marketplaceChainKey(marketplace) },
      ConsistentRead: true,
    });
    return items.map(recordFromItem);
  }

  /**
   * Appends an event to the marketplace's chain: reads the chain's last event, puts the next
   * one conditioned on its key being free, and on a race with another writer reads again.
   */
  async appendMarketplaceEvent(
    marketplace: string,
    fields: { actor: Actor; via: Via; action: string; details: Record<string, unknown> },
  ): Promise<MarketplaceAuditEvent> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const last = await this.lastOfChain(marketplace);
      const event = chainMarketplaceEvent({
        chain: 'marketplace',
        marketplace,
        seq: (last?.seq ?? 0) + 1,
        at: this.options.clock.now().toISOString(),
        actor: fields.actor,
        via: fields.via,
        action: fields.action,
        details: fields.details,
        prevHash: last?.hash ?? GENESIS_HASH,
      });
      try {
        await this.options.client.send(
          new PutCommand({
            TableName: this.options.auditTable,
            Item: {
              pk: marketplaceChainKey(marketplace),
              sk: sortKey(event.seq),
              atKey: `${event.at}#${marketplaceChainKey(marketplace)}#${String(event.seq).padStart(10, '0')}`,
              ...actorIndexAttributes(event.actor),
              ...event,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return event;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new ConflictError(`the audit chain of marketplace ${marketplace} is busy; try again`);
  }

  private async lastOfChain(marketplace: string): Promise<{ seq: number; hash: string } | undefined> {
    const { Items } = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.auditTable,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': marketplaceChainKey(marketplace) },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = Items?.[0];
    return item ? { seq: Number(item.seq), hash: String(item.hash) } : undefined;
  }
}

/**
 * The start key a cursor holds, checked against the query it is used with: a cursor from
 * another marketplace, actor or range is refused with a 400 rather than sent to DynamoDB.
 */
function startKeyOf(cursor: string, indexKey: 'marketplace' | 'actorKey', indexValue: string, query: AuditQuery): Record<string, unknown> {
  const key = decodeCursor(cursor, cursorSchema);
  if (key[indexKey] !== indexValue || key.atKey < query.from || key.atKey > query.to) {
    throw new ValidationError('invalid cursor: it belongs to another query; pass the cursor of the previous page of this query');
  }
  // Only the queried index's key: DynamoDB refuses a start key with any other attribute.
  const { pk, sk, atKey } = key;
  return { pk, sk, atKey, [indexKey]: indexValue };
}
