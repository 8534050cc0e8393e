import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { WebhookEvent } from './events';

export type InboxStatus = 'received' | 'applied';

/** A marketplace event as stored before it is acknowledged. */
export interface InboxItem {
  readonly marketplace: string;
  readonly eventId: string;
  readonly ticketId: string;
  readonly event: WebhookEvent;
  readonly receivedAt: string;
  readonly status: InboxStatus;
}

/** Events are kept this long to answer redeliveries, then expire by TTL. */
export const INBOX_RETENTION_DAYS = 30;

const inboxKey = (marketplace: string, eventId: string) => ({ pk: `EVENT#${marketplace}#${eventId}` });

/**
 * The webhook inbox. Storing an event is a conditional put on the marketplace's event id:
 * the durable record before the 2xx, and the idempotency check for redeliveries.
 */
export class Inbox {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Stores the event; returns the item already stored instead when the id was seen before. */
  async store(item: InboxItem): Promise<{ stored: true } | { stored: false; existing: InboxItem }> {
    const expiresAt = Math.floor(Date.parse(item.receivedAt) / 1000) + INBOX_RETENTION_DAYS * 86_400;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...inboxKey(item.marketplace, item.eventId), ...item, expiresAt },
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
    if (!Item) return undefined;
    const { pk: _pk, expiresAt: _expiresAt, ...item } = Item;
    return item as InboxItem;
  }

  async markApplied(marketplace: string, eventId: string, at: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: inboxKey(marketplace, eventId),
        UpdateExpression: 'SET #status = :applied, appliedAt = :at',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':applied': 'applied', ':at': at },
      }),
    );
  }
}
