import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '@shared/audit/audit-event';
import { ValidationError } from '@shared/errors';
import type { TransactWriteItem } from '@shared/tickets/ticket-repository';
import { ERASED_TEXT, type Message } from './message';

const messageKey = (ticketId: string, seq: number) => ({ pk: `TICKET#${ticketId}`, sk: `MSG#${String(seq).padStart(10, '0')}` });

export interface MessagePage {
  readonly messages: Message[];
  /** Opaque; absent on the last page. */
  readonly cursor?: string;
}

/** Messages read per round trip when internal notes are filtered out (DynamoDB filters after reading). */
const FILTERED_READ = 200;

/**
 * The messages table: one item per message, `pk` = `TICKET#<id>`, `sk` = `MSG#<audit seq>`,
 * so a ticket's conversation is one Query in order. Messages are written only inside the
 * ticket change that records them (see TicketRepository), and changed only by an erasure.
 */
export class MessageStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  /** The Put of a new message, for the transaction of the ticket change that records it. */
  putWrite(message: Message): TransactWriteItem {
    return {
      Put: {
        TableName: this.table,
        Item: { ...messageKey(message.ticketId, message.seq), ...message },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  /** The text replaced by the marker, for the transaction of the audited erasure; fails if already erased. */
  eraseWrite(message: Message, by: Actor, at: string): TransactWriteItem {
    return {
      Update: {
        TableName: this.table,
        Key: messageKey(message.ticketId, message.seq),
        UpdateExpression: 'SET #text = :erased, erasedAt = :at, erasedBy = :by',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(erasedAt)',
        ExpressionAttributeNames: { '#text': 'text' },
        ExpressionAttributeValues: { ':erased': ERASED_TEXT, ':at': at, ':by': by },
      },
    };
  }

  /** The message with this id (`<ticket id>.m<seq>`), or `undefined`. */
  async findById(id: string): Promise<Message | undefined> {
    const match = /^(.+)\.m([1-9][0-9]{0,9})$/.exec(id);
    return match ? this.find(match[1]!, Number(match[2])) : undefined;
  }

  async find(ticketId: string, seq: number): Promise<Message | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: messageKey(ticketId, seq), ConsistentRead: true }));
    return Item ? toMessage(Item) : undefined;
  }

  /**
   * One page of a ticket's conversation in order. Without `internal`, notes are filtered out
   * inside each read and reading goes on until the page is full.
   */
  async page(ticketId: string, options: { internal: boolean; limit: number; cursor?: string }): Promise<MessagePage> {
    const messages: Message[] = [];
    let startKey: Record<string, unknown> | undefined = options.cursor === undefined ? undefined : messageKey(ticketId, seqOfCursor(options.cursor));
    do {
      const wanted = options.limit - messages.length;
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `TICKET#${ticketId}`, ...(options.internal ? {} : { ':public': 'public' }) },
          ...(options.internal ? {} : { FilterExpression: 'visibility = :public' }),
          Limit: options.internal ? wanted + 1 : Math.max(FILTERED_READ, wanted + 1),
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      const found = page.Items ?? [];
      for (let at = 0; at < found.length; at += 1) {
        messages.push(toMessage(found[at]!));
        if (messages.length === options.limit) {
          const more = at < found.length - 1 || page.LastEvaluatedKey !== undefined;
          return more ? { messages, cursor: `m${messages[messages.length - 1]!.seq}` } : { messages };
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return { messages };
  }
}

/** A cursor is the sequence number of the last message shown (`m<seq>`); anything else is a 400. */
function seqOfCursor(cursor: string): number {
  const match = /^m([1-9][0-9]{0,9})$/.exec(cursor);
  if (!match) throw new ValidationError('cursor is not one this API returned');
  return Number(match[1]);
}

function toMessage(item: Record<string, unknown>): Message {
  const { pk: _pk, sk: _sk, ...message } = item;
  return message as unknown as Message;
}
