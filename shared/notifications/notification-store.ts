import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { cursorKeyValue, decodeCursor, encodeCursor } from '@shared/aws/page-cursor';
import type { TransactWriteItem } from '@shared/tickets/ticket-repository';
import { ValidationError } from '@shared/errors';
import type { OnCallChannel } from './channels';
import { notificationSchema, type Notification } from './notification';

/**
 * - `sent`: the channel accepted it
 * - `retrying`: the last attempt failed; another is queued (`nextAttemptAt`)
 * - `failed`: every attempt failed; the notification waits in the dead-letter queue for a redrive
 */
export type DeliveryState = 'sent' | 'retrying' | 'failed';

/** How one channel's delivery of one notification stands. */
export interface ChannelDelivery {
  readonly channel: string;
  readonly type: OnCallChannel['type'];
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly lastAttemptAt: string;
  readonly sentAt?: string;
  readonly lastError?: string;
  readonly nextAttemptAt?: string;
}

/** How passing an acknowledgement on to one PagerDuty channel went. */
export interface AcknowledgementDelivery {
  readonly channel: string;
  readonly state: 'sent' | 'failed';
  readonly at: string;
  readonly error?: string;
}

/** A notification with every channel's delivery; `state` sums them up. */
export interface NotificationRecord extends Notification {
  readonly deliveries: ChannelDelivery[];
  /** `no_channel` when no configured channel covered it (nothing was sent). */
  readonly state: DeliveryState | 'no_channel';
  /** Who acknowledged it (a manager or admin) and when; null until then. */
  readonly acknowledged: { readonly at: string; readonly by: { readonly type: string; readonly id: string } } | null;
  /** The acknowledgement passed on to the PagerDuty channels that delivered the notification. */
  readonly acknowledgementDeliveries: AcknowledgementDelivery[];
}

export interface NotificationPage {
  readonly notifications: NotificationRecord[];
  /** Opaque position for the next (older) page; absent on the last page. */
  readonly cursor?: string;
}

/** Notifications are listed for this long, then expire by TTL (the audit trail keeps their deliveries). */
export const NOTIFICATION_RETENTION_DAYS = 90;

/** Channel deliveries are top-level attributes, so one UpdateItem can set one without reading the item. */
const DELIVERY_PREFIX = 'delivery:';
const ACK_PREFIX = 'ack:';

/**
 * The delivery state of on-call notifications, for `GET /notifications`. One item per
 * notification, `id` = its notification id; index `by-marketplace` (`marketplace`, `at`)
 * lists a marketplace's newest first. Written only by the notifier, and every write is an
 * upsert, so a notification appears with its first delivery attempt.
 */
export class NotificationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Records how delivering `notification` to one channel went (creating the item if needed). */
  async recordDelivery(notification: Notification, delivery: ChannelDelivery): Promise<void> {
    await this.upsert(notification, { [`${DELIVERY_PREFIX}${delivery.channel}`]: delivery });
  }

  /** Records that no configured channel covers the notification. */
  async recordUnroutable(notification: Notification): Promise<void> {
    await this.upsert(notification, { unroutable: true });
  }

  /** The notification with this id, or `undefined`. */
  async find(id: string): Promise<NotificationRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: { id }, ConsistentRead: true }));
    return Item ? toRecord(Item) : undefined;
  }

  /** The acknowledgement's write, for the transaction that audits it on the ticket; fails if already acknowledged. */
  acknowledgeWrite(id: string, at: string, by: { type: string; id: string }): TransactWriteItem {
    return {
      Update: {
        TableName: this.table,
        Key: { id },
        UpdateExpression: 'SET acknowledged = :ack',
        ConditionExpression: 'attribute_exists(id) AND attribute_not_exists(acknowledged)',
        ExpressionAttributeValues: { ':ack': { at, by } },
      },
    };
  }

  /** Records how passing the acknowledgement on to one channel went. */
  async recordAcknowledgementDelivery(id: string, delivery: AcknowledgementDelivery): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { id },
        UpdateExpression: 'SET #delivery = :delivery',
        ExpressionAttributeNames: { '#delivery': `${ACK_PREFIX}${delivery.channel}` },
        ExpressionAttributeValues: { ':delivery': delivery },
      }),
    );
  }

  /** One page of a marketplace's notifications, newest first (Query on `by-marketplace`). */
  async recent(marketplace: string, limit: number, cursor?: string): Promise<NotificationPage> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'by-marketplace',
        KeyConditionExpression: 'marketplace = :marketplace',
        ExpressionAttributeValues: { ':marketplace': marketplace },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: cursor === undefined ? undefined : startKeyOf(cursor, marketplace),
      }),
    );
    return { notifications: (page.Items ?? []).map(toRecord), cursor: encodeCursor(page.LastEvaluatedKey) };
  }

  private async upsert(notification: Notification, fields: Record<string, unknown>): Promise<void> {
    const values: Record<string, unknown> = {
      ...Object.fromEntries(Object.entries(notification).filter(([name]) => name !== 'id')),
      ...fields,
      expiresAt: Math.floor(Date.parse(notification.at) / 1000) + NOTIFICATION_RETENTION_DAYS * 86_400,
    };
    const names = Object.keys(values);
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { id: notification.id },
        UpdateExpression: `SET ${names.map((_name, index) => `#f${index} = :v${index}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((name, index) => [`#f${index}`, name])),
        ExpressionAttributeValues: Object.fromEntries(names.map((name, index) => [`:v${index}`, values[name]])),
      }),
    );
  }
}

function toRecord(item: Record<string, unknown>): NotificationRecord {
  const notification = notificationSchema.parse(item);
  const deliveries = Object.entries(item)
    .filter(([name]) => name.startsWith(DELIVERY_PREFIX))
    .map(([, delivery]) => delivery as ChannelDelivery)
    .sort((a, b) => a.channel.localeCompare(b.channel));
  const acknowledgementDeliveries = Object.entries(item)
    .filter(([name]) => name.startsWith(ACK_PREFIX))
    .map(([, delivery]) => delivery as AcknowledgementDelivery)
    .sort((a, b) => a.channel.localeCompare(b.channel));
  const acknowledged = (item.acknowledged as NotificationRecord['acknowledged'] | undefined) ?? null;
  return { ...notification, deliveries, state: summaryState(deliveries), acknowledged, acknowledgementDeliveries };
}

/** The worst state of any channel: one failed channel means on-call may not have been told. */
function summaryState(deliveries: readonly ChannelDelivery[]): NotificationRecord['state'] {
  if (deliveries.length === 0) return 'no_channel';
  if (deliveries.some((delivery) => delivery.state === 'failed')) return 'failed';
  if (deliveries.some((delivery) => delivery.state === 'retrying')) return 'retrying';
  return 'sent';
}

/** What a cursor holds: the key of the last notification read on `by-marketplace`. */
const cursorKeySchema = z.object({ id: cursorKeyValue, marketplace: cursorKeyValue, at: cursorKeyValue });

/** The start key a cursor holds, refused (400) when it is not a position in this marketplace's list. */
function startKeyOf(cursor: string, marketplace: string): Record<string, unknown> {
  const key = decodeCursor(cursor, cursorKeySchema);
  if (key.marketplace !== marketplace) throw new ValidationError('invalid cursor: it belongs to another marketplace\'s list; pass the cursor of the previous page');
  return key;
}
