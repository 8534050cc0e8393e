import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '@shared/aws/query-all';
import type { EventRejectedCallback } from '@shared/callbacks/event-rejected';
import type { TransactWriteItem } from '@shared/tickets/ticket-repository';
import { webhookEventSchema, type WebhookEvent } from './events';

/**
 * - `received`: stored and queued, not applied yet
 * - `held`: arrived before the event it depends on; applied when that one arrives
 * - `applied`: its change is on the ticket (in the same transaction as this status)
 * - `rejected`: can never apply; kept with the reason
 */
export type InboxStatus = 'received' | 'held' | 'applied' | 'rejected';

/** A marketplace event as stored before it is acknowledged. */
export interface InboxItem {
  readonly marketplace: string;
  readonly eventId: string;
  readonly ticketId: string;
  /** The event as Aftercare reads it: validated, fields it does not know left out (the inbox stores it as received). */
  readonly event: WebhookEvent;
  readonly receivedAt: string;
  readonly status: InboxStatus;
  /** Why it is held (what it waits for) or why it was rejected. */
  readonly reason?: string;
  readonly appliedAt?: string;
  readonly rejectedAt?: string;
  /** Set when queuing failed after the event was stored; a redelivery then queues it. */
  readonly queueFailed?: boolean;
  /** How often the sweeper queued it again, and when last. */
  readonly requeues?: number;
  readonly lastRequeuedAt?: string;
  /** The `event.rejected` callback of a rejected event, with its delivery state (when the marketplace has a callback URL). */
  readonly callback?: EventRejectedCallback;
}

/** Events are kept this long to answer redeliveries, then expire by TTL. */
export const INBOX_RETENTION_DAYS = 30;

/** Partition of the sparse `pending` index; only events not yet applied or rejected carry it. */
const PENDING = 'PENDING';
/** Partition of the sparse `callbacks-due` index; only events whose callback waits for an attempt carry it. */
const CALLBACKS_DUE = 'due';

const inboxKey = (marketplace: string, eventId: string) => ({ pk: `EVENT#${marketplace}#${eventId}` });

/**
 * The webhook inbox. Storing an event is a conditional put on the marketplace's event id:
 * the durable record before the 2xx, and the idempotency check for redeliveries. Its status
 * moves to `applied` in the same transaction as the ticket change, so an event is applied
 * exactly once however often it is delivered.
 *
 * Indexes (all sparse): `pending` (`pendingShard`, `receivedAt`) holds the events not yet
 * applied or rejected, for the sweeper; `held-by-ticket` (`heldTicketId`, `receivedAt`)
 * holds the events waiting for their ticket's opening event; `callbacks-due`
 * (`callbackShard`, `nextCallbackAt`) the rejected events whose callback waits for an attempt.
 */
export class Inbox {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Stores the event as received: the body's exact text (`body`), fields Aftercare does not
   * know included, in place of the validated event, which is read from it again. A string,
   * because received JSON may hold what DynamoDB cannot (nesting past 32 levels, numbers
   * out of range). Returns the item already stored instead when the id was seen before.
   */
  async store(item: InboxItem, body: string): Promise<{ stored: true } | { stored: false; existing: InboxItem }> {
    const expiresAt = Math.floor(Date.parse(item.receivedAt) / 1000) + INBOX_RETENTION_DAYS * 86_400;
    const { event: _validated, ...fields } = item;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...inboxKey(item.marketplace, item.eventId), ...fields, body, pendingShard: PENDING, expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { stored: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.find(item.marketplace, item.eventId);
      if (!existing) throw error;
      return { stored: false, existing };
    }
  }

  async find(marketplace: string, eventId: string): Promise<InboxItem | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: inboxKey(marketplace, eventId), ConsistentRead: true }),
    );
    return Item ? toInboxItem(Item) : undefined;
  }

  /** Notes that queuing the stored event failed, so that the marketplace's retry queues it. */
  async markQueueFailed(item: InboxItem): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: inboxKey(item.marketplace, item.eventId),
        UpdateExpression: 'SET queueFailed = :yes',
        ConditionExpression: '#status = :received',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':yes': true, ':received': 'received' },
      }),
    );
  }

  /** The write that marks the event applied, for the transaction that applies its change. */
  appliedWrite(item: InboxItem, at: string): TransactWriteItem {
    return {
      Update: {
        TableName: this.table,
        Key: inboxKey(item.marketplace, item.eventId),
        UpdateExpression: 'SET #status = :applied, appliedAt = :at REMOVE pendingShard, heldTicketId, reason, queueFailed',
        ConditionExpression: '#status IN (:received, :held)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':applied': 'applied', ':at': at, ':received': 'received', ':held': 'held' },
      },
    };
  }

  /** Parks the event until its ticket's opening event arrives. */
  async hold(item: InboxItem, reason: string): Promise<void> {
    await this.updateOpen(item, 'SET #status = :held, reason = :reason, heldTicketId = :ticket', {
      ':reason': reason,
      ':ticket': item.ticketId,
    });
  }

  /**
   * Ends the event as one that can never apply, with the reason and when, and in the same
   * write its `event.rejected` callback, if any, so that it cannot be lost.
   */
  async reject(item: InboxItem, reason: string, at: string, callback?: EventRejectedCallback): Promise<void> {
    const withCallback = callback?.nextAttemptAt ? ', #callback = :cb, callbackShard = :due, nextCallbackAt = :next' : '';
    await this.updateOpen(item, `SET #status = :rejected, reason = :reason, rejectedAt = :at${withCallback} REMOVE pendingShard, heldTicketId`, {
      ':rejected': 'rejected',
      ':reason': reason,
      ':at': at,
      ...(withCallback ? { ':cb': callback, ':due': CALLBACKS_DUE, ':next': callback!.nextAttemptAt } : {}),
    });
  }

  /** Rejected events whose callback has an attempt due at or before `nowIso` (Query on the sparse `callbacks-due`, every page). */
  async callbacksDue(nowIso: string): Promise<InboxItem[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      IndexName: 'callbacks-due',
      KeyConditionExpression: 'callbackShard = :due AND nextCallbackAt <= :now',
      ExpressionAttributeValues: { ':due': CALLBACKS_DUE, ':now': nowIso },
    });
    return items.map(toInboxItem);
  }

  /**
   * Records a delivery attempt of the event's callback: `next` replaces the one stored, if
   * that one still has the attempts `item` had (else another delivery recorded it first:
   * false, nothing written).
   */
  async recordCallbackAttempt(item: InboxItem, next: EventRejectedCallback): Promise<boolean> {
    // Still due: the index points at the next attempt; delivered or given up: off the index.
    const expression = next.nextAttemptAt
      ? 'SET #callback = :cb, callbackShard = :due, nextCallbackAt = :next'
      : 'SET #callback = :cb REMOVE callbackShard, nextCallbackAt';
    const indexValues = next.nextAttemptAt ? { ':due': CALLBACKS_DUE, ':next': next.nextAttemptAt } : {};
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: inboxKey(item.marketplace, item.eventId),
          UpdateExpression: expression,
          ConditionExpression: '#callback.attempts = :before',
          ExpressionAttributeNames: { '#callback': 'callback' },
          ExpressionAttributeValues: { ':cb': next, ':before': item.callback?.attempts ?? 0, ...indexValues },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Events held for a ticket, oldest first (a Query on the sparse index, every page). */
  async heldFor(ticketId: string): Promise<InboxItem[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      IndexName: 'held-by-ticket',
      KeyConditionExpression: 'heldTicketId = :ticket',
      ExpressionAttributeValues: { ':ticket': ticketId },
    });
    return items.map(toInboxItem);
  }

  /** Turns a held event back to `received`, so it can be queued again; false if it was not held. */
  async release(item: InboxItem): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: inboxKey(item.marketplace, item.eventId),
          UpdateExpression: 'SET #status = :received REMOVE heldTicketId, reason',
          ConditionExpression: '#status = :held',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':received': 'received', ':held': 'held' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Events not applied or rejected that arrived before `before`, oldest first, for the sweeper. */
  async pendingBefore(before: string): Promise<InboxItem[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      IndexName: 'pending',
      KeyConditionExpression: 'pendingShard = :pending AND receivedAt < :before',
      ExpressionAttributeValues: { ':pending': PENDING, ':before': before },
    });
    return items.map(toInboxItem);
  }

  /**
   * Notes that the sweeper queues a `received` event again, unless it did so after
   * `notSince` (another sweep, or the event moved on). Returns whether to queue it.
   */
  async noteRequeue(item: InboxItem, at: string, notSince: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: inboxKey(item.marketplace, item.eventId),
          UpdateExpression: 'SET lastRequeuedAt = :at ADD requeues :one',
          ConditionExpression: '#status = :received AND (attribute_not_exists(lastRequeuedAt) OR lastRequeuedAt < :notSince)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':at': at, ':one': 1, ':received': 'received', ':notSince': notSince },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Updates an event that is still open (received or held). */
  private async updateOpen(item: InboxItem, expression: string, values: Record<string, unknown>): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: inboxKey(item.marketplace, item.eventId),
        UpdateExpression: expression,
        ConditionExpression: '#status IN (:received, :held)',
        ExpressionAttributeNames: { '#status': 'status', ...(expression.includes('#callback') ? { '#callback': 'callback' } : {}) },
        ExpressionAttributeValues: { ':received': 'received', ':held': 'held', ...values },
      }),
    );
  }
}

/**
 * The stored item, its event read again from the body as received through the schema it
 * passed at intake (what Aftercare does not know is left out). Items stored before bodies
 * were kept hold the validated `event` itself.
 */
function toInboxItem(stored: Record<string, unknown>): InboxItem {
  const { pk: _pk, expiresAt: _expiresAt, pendingShard: _pending, heldTicketId: _held, callbackShard: _shard, nextCallbackAt: _due, body, event, ...item } = stored;
  const received: unknown = typeof body === 'string' ? JSON.parse(body) : event;
  return { ...(item as unknown as Omit<InboxItem, 'event'>), event: webhookEventSchema.parse(received) };
}
