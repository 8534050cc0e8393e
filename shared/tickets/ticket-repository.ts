import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { chainAuditEvent, GENESIS_HASH, type Actor, type AuditEvent, type FieldChange, type Via } from '@shared/audit/audit-event';
import { actorIndexAttributes } from '@shared/audit/audit-trail';
import { callbacksCausedBy, messageCallback, nextCallbackDue, type OutboundCallback } from '@shared/callbacks/outbox';
import { digestOf, messageIdFor, type Message, type NewMessage } from '@shared/conversation/message';
import type { MessageStore } from '@shared/conversation/message-store';
import type { Clock } from '@shared/clock';
import { queryAll, queryCount } from '@shared/aws/query-all';
import { AftercareError, ConfigurationError, TicketNotFoundError, VersionConflictError } from '@shared/errors';
import type { NewTicket } from './decide-event';
import { isOpen, nextDeadline, NO_DEADLINE, QUEUE_ATTRIBUTE_NAMES, queueAttributes } from './queue-keys';
import type { Ticket, TicketKind, WorkflowIntent } from './ticket';

/** One item of a `TransactWriteItems` call, in document-client form. */
export type TransactWriteItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A write that had to go with the ticket change (e.g. marking an inbox event applied) found its condition false. */
export class LinkedWriteConflictError extends AftercareError {}

/** What an audit event records beyond the field changes, which the repository computes. */
export interface ChangeContext {
  readonly actor: Actor;
  readonly via: Via;
  readonly action: string;
  readonly reason?: string;
  /** A message the change records: stored in the messages table in the same transaction, its digest in the audit event. */
  readonly message?: NewMessage;
  /**
   * The change is the system's own bookkeeping on the ticket (the task token of the step the
   * workflow waits on, a callback's or an on-call notice's delivery record), not a change of
   * the case: it is audited like any other but keeps `updatedAt`, the time the case last
   * changed. The work queues' lines show `updatedAt`, so they are not rewritten either: on AWS,
   * where every write has its own millisecond, that would be four index writes for nothing an
   * agent sees.
   */
  readonly bookkeeping?: boolean;
}

/** One change of {@link TicketRepository.updateInSteps}: what changes, and how it is audited. */
export interface TicketChangeStep {
  readonly change: Partial<Ticket>;
  readonly context: ChangeContext;
}

/**
 * Changes written together at most: each is an audit event in the transaction, beside the
 * ticket and any linked writes, and a transaction holds at most 100 items.
 */
export const MAX_STEPS_PER_WRITE = 25;

/** An open ticket as the `open-by-due` index holds it. */
export interface OpenTicketEntry {
  readonly ticketId: string;
  readonly nextDueAt: string;
  readonly kind: TicketKind;
  readonly workflow?: WorkflowIntent;
}

export interface TicketRepositoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly ticketsTable: string;
  readonly auditTable: string;
  readonly clock: Clock;
  /** Where messages go; needed only by writers whose changes record messages. */
  readonly messages?: MessageStore;
}

const ticketKey = (id: string) => ({ pk: `TICKET#${id}` });
/** Key of the `by-customer` index: a customer's tickets of one kind at one marketplace, by creation time. */
const customerKey = (kind: string, marketplace: string, customerRef: string) => `${kind}#${marketplace}#${customerRef}`;
/** Sort key of the audit indexes: time, then ticket and sequence, so events at the same instant stay apart and ordered. */
const atKey = (event: AuditEvent) => `${event.at}#${event.ticketId}#${String(event.seq).padStart(10, '0')}`;

export { NO_DEADLINE };

/** The index attributes of a ticket: its marketplace and earliest running deadline while it is open. */
function openIndexAttributes(ticket: Ticket): Record<string, string> {
  if (!isOpen(ticket)) return {};
  return { openMarketplace: ticket.marketplace, nextDueAt: nextDeadline(ticket)?.dueAt ?? NO_DEADLINE };
}

/** Index attributes only: never part of the ticket a reader gets back. */
const INDEX_ATTRIBUTES = new Set<string>(['pk', 'customerKey', 'openMarketplace', 'nextDueAt', 'callbackShard', 'nextCallbackAt', ...QUEUE_ATTRIBUTE_NAMES]);

/** A stored ticket item without its key and index attributes. */
export function ticketFromItem(item: Record<string, unknown>): Ticket {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !INDEX_ATTRIBUTES.has(name))) as unknown as Ticket;
}

/** Partition of the sparse `callbacks-due` index: one, as only tickets with a callback waiting carry it. */
const CALLBACKS_DUE = 'due';

/** The index attributes of a ticket whose outbox holds a callback waiting for an attempt. */
function callbackIndexAttributes(ticket: Ticket): Record<string, string> {
  const due = nextCallbackDue(ticket.callbacks);
  return due ? { callbackShard: CALLBACKS_DUE, nextCallbackAt: due } : {};
}

/** The ticket with the callbacks its change causes added to its outbox (same transaction, so none is lost). */
function withCallbacks(before: Ticket | undefined, after: Ticket, seq: number, now: string, message?: Message): Ticket {
  if (!after.callbacksEnabled) return after;
  const caused = callbacksCausedBy(before, after, seq, now);
  if (message?.kind === 'reply') caused.push(messageCallback(after, message, now));
  return caused.length ? { ...after, callbacks: [...(after.callbacks ?? []), ...caused] } : after;
}

const auditSortKey = (seq: number) => `SEQ#${String(seq).padStart(10, '0')}`;

/** Bookkeeping fields whose changes are not worth an audit line. */
const UNAUDITED_FIELDS = new Set(['version', 'updatedAt', 'auditSeq', 'auditHead']);

/** What the audit trail shows of a field: task tokens are credentials, so only the step is kept (of a waiting and of a completed step). */
function auditedValue(field: string, value: unknown): unknown {
  if (field === 'awaiting' && value !== null && typeof value === 'object') {
    const { taskToken: _token, ...rest } = value as Record<string, unknown>;
    return rest;
  }
  if (field === 'workflow' && value !== null && typeof value === 'object') {
    const { completing, ...rest } = value as { completing?: { taskToken?: string } };
    if (!completing) return rest;
    const { taskToken: _token, ...step } = completing;
    return { ...rest, completing: step };
  }
  return value ?? null;
}

type AuditedCallback = Pick<OutboundCallback, 'id' | 'attempts' | 'deliveredAt' | 'gaveUpAt'>;

/** A callback in the trail: which one, and where its delivery stands (its body is on the ticket). */
const auditedCallback = ({ id, attempts, deliveredAt, gaveUpAt }: AuditedCallback): AuditedCallback => ({
  id,
  attempts,
  ...(deliveredAt ? { deliveredAt } : {}),
  ...(gaveUpAt ? { gaveUpAt } : {}),
});

/**
 * The outbox's change in the trail: only the callbacks whose delivery state changed (or that
 * came or went), as they were and as they are. The outbox keeps every callback of the ticket,
 * so the whole list, before and after, would make each delivery's event grow with all the
 * ticket's earlier callbacks: past a kilobyte, each event and its index entries cost twice the
 * write units.
 */
function outboxChange(before: unknown, after: unknown): FieldChange {
  const list = (value: unknown) => (Array.isArray(value) ? (value as AuditedCallback[]).map(auditedCallback) : []);
  const from = list(before);
  const to = list(after);
  const same = (callback: AuditedCallback, others: AuditedCallback[]) => others.some((other) => JSON.stringify(other) === JSON.stringify(callback));
  return { field: 'callbacks', from: from.filter((callback) => !same(callback, to)), to: to.filter((callback) => !same(callback, from)) };
}

/**
 * Tickets and their audit trail. Every change is one `TransactWriteItems`: the ticket put
 * conditioned on the version that was read, plus the audit event put conditioned on its
 * absence. So there is no lost update, and no change without its event.
 */
export class TicketRepository {
  constructor(private readonly options: TicketRepositoryOptions) {}

  /** The ticket, read strongly consistent, or `undefined`. */
  async find(id: string): Promise<Ticket | undefined> {
    const { Item } = await this.options.client.send(
      new GetCommand({ TableName: this.options.ticketsTable, Key: ticketKey(id), ConsistentRead: true }),
    );
    return Item ? ticketFromItem(Item) : undefined;
  }

  /**
   * A marketplace's open tickets whose earliest running deadline is before `beforeIso`, earliest
   * first, with what the reconciler checks without reading each ticket: its kind and workflow intent.
   */
  async openTicketsDueBefore(marketplace: string, beforeIso: string): Promise<OpenTicketEntry[]> {
    const items = await queryAll(this.options.client, {
      TableName: this.options.ticketsTable,
      IndexName: 'open-by-due',
      KeyConditionExpression: 'openMarketplace = :marketplace AND nextDueAt < :before',
      ExpressionAttributeValues: { ':marketplace': marketplace, ':before': beforeIso },
      ProjectionExpression: 'id, nextDueAt, kind, workflow',
    });
    return items.map((item) => ({
      ticketId: String(item.id),
      nextDueAt: String(item.nextDueAt),
      kind: item.kind as TicketKind,
      ...(item.workflow ? { workflow: item.workflow as WorkflowIntent } : {}),
    }));
  }

  /** Ids of tickets with a callback due at or before `nowIso`, earliest first (Query on the sparse `callbacks-due`, paged to the end). */
  async ticketsWithCallbacksDue(nowIso: string): Promise<string[]> {
    const items = await queryAll(this.options.client, {
      TableName: this.options.ticketsTable,
      IndexName: 'callbacks-due',
      KeyConditionExpression: 'callbackShard = :due AND nextCallbackAt <= :now',
      ExpressionAttributeValues: { ':due': CALLBACKS_DUE, ':now': nowIso },
      ProjectionExpression: 'id',
    });
    return items.map((item) => String(item.id));
  }

  /** How many complaints the customer filed with the marketplace since `sinceIso` (one Query on `by-customer`). */
  async countComplaintsSince(marketplace: string, customerRef: string, sinceIso: string): Promise<number> {
    return queryCount(this.options.client, {
      TableName: this.options.ticketsTable,
      IndexName: 'by-customer',
      KeyConditionExpression: 'customerKey = :customer AND createdAt >= :since',
      ExpressionAttributeValues: { ':customer': customerKey('complaint', marketplace, customerRef), ':since': sinceIso },
    });
  }

  /** The ticket, or {@link TicketNotFoundError}. */
  async get(id: string): Promise<Ticket> {
    const ticket = await this.find(id);
    if (!ticket) throw new TicketNotFoundError(`ticket ${id} not found`);
    return ticket;
  }

  /**
   * Creates a ticket with its first audit event (and `linked` writes, in the same
   * transaction). Returns the ticket as stored, or `undefined` (and writes nothing) when it
   * already exists, so a repeated create is harmless.
   */
  async create(fields: NewTicket, context: ChangeContext, linked: readonly TransactWriteItem[] = []): Promise<Ticket | undefined> {
    const now = this.options.clock.now().toISOString();
    const message = this.message(fields as Ticket, 1, now, context);
    const draft = withCallbacks(undefined, { ...fields, createdAt: now, updatedAt: now, version: 1 } as Ticket, 1, now, message);
    const event = this.auditEvent(draft as Ticket, 1, GENESIS_HASH, now, context, changesFrom({}, draft), message);
    const ticket: Ticket = { ...draft, auditSeq: event.seq, auditHead: event.hash };
    try {
      await this.write(ticket, [event], this.withMessage(linked, message), 'attribute_not_exists(pk)');
      return ticket;
    } catch (error) {
      if (error instanceof VersionConflictError) return undefined;
      throw error;
    }
  }

  /**
   * Applies `change` to the ticket as read at `current.version`, with its audit event (and
   * `linked` writes, in the same transaction). Throws {@link VersionConflictError} when
   * another writer changed the ticket first, {@link LinkedWriteConflictError} when a linked
   * write's condition failed.
   */
  async update(current: Ticket, change: Partial<Ticket>, context: ChangeContext, linked: readonly TransactWriteItem[] = []): Promise<Ticket> {
    return this.updateInSteps(current, [{ change, context }], linked);
  }

  /**
   * Applies several changes one after the other, each with its own audit event (consecutive
   * sequence numbers, each chained to the one before), and writes the ticket once: one
   * transaction, conditioned on `current.version` as {@link update} is. For changes that come
   * together (the delivery records of a ticket's callbacks posted at once), this is one write
   * of the ticket instead of one each, and no conflicts among them.
   */
  async updateInSteps(current: Ticket, steps: readonly TicketChangeStep[], linked: readonly TransactWriteItem[] = []): Promise<Ticket> {
    if (!steps.length) throw new Error('updateInSteps needs at least one change');
    if (steps.length > MAX_STEPS_PER_WRITE) throw new Error(`at most ${MAX_STEPS_PER_WRITE} changes go in one write, not ${steps.length}`);
    const now = this.options.clock.now().toISOString();
    const events: AuditEvent[] = [];
    let writes = linked;
    let ticket = current;
    for (const { change, context } of steps) {
      const seq = ticket.auditSeq + 1;
      const message = this.message(ticket, seq, now, context);
      const updatedAt = context.bookkeeping ? ticket.updatedAt : now;
      const next = withCallbacks(ticket, { ...ticket, ...change, version: current.version + 1, updatedAt } as Ticket, seq, now, message);
      const event = this.auditEvent(next, seq, ticket.auditHead, now, context, changesFrom(ticket, next), message);
      events.push(event);
      writes = this.withMessage(writes, message);
      ticket = { ...next, auditSeq: event.seq, auditHead: event.hash };
    }
    await this.write(ticket, events, writes, 'version = :expected', { ':expected': current.version });
    return ticket;
  }

  /** The ticket's audit events in sequence order (one Query, paged to the end). */
  async history(id: string): Promise<AuditEvent[]> {
    const items = await queryAll(this.options.client, {
      TableName: this.options.auditTable,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': ticketKey(id).pk },
      ConsistentRead: true,
    });
    return items.map(({ pk: _pk, sk: _sk, atKey: _at, actorKey: _actor, ...event }) => event as AuditEvent);
  }

  /** The message a change records, numbered by the change's audit sequence. */
  private message(ticket: Pick<Ticket, 'id' | 'marketplace'>, seq: number, now: string, context: ChangeContext): Message | undefined {
    if (!context.message) return undefined;
    const id = messageIdFor(ticket.id, seq);
    const { sha256, length, visibility } = digestOf(id, context.message);
    return {
      id,
      ticketId: ticket.id,
      marketplace: ticket.marketplace,
      seq,
      kind: context.message.kind,
      visibility,
      author: context.actor,
      text: context.message.text,
      sha256,
      length,
      saidAt: context.message.saidAt ?? now,
      recordedAt: now,
    };
  }

  private withMessage(linked: readonly TransactWriteItem[], message: Message | undefined): readonly TransactWriteItem[] {
    if (!message) return linked;
    if (!this.options.messages) throw new ConfigurationError('this function records messages but has no messages table');
    // First after the two fixed writes' linked ones: a failed message condition reads as a linked-write conflict.
    return [...linked, this.options.messages.putWrite(message)];
  }

  private auditEvent(
    ticket: Ticket,
    seq: number,
    prevHash: string,
    at: string,
    context: ChangeContext,
    changes: FieldChange[],
    message?: Message,
  ): AuditEvent {
    return chainAuditEvent({
      ticketId: ticket.id,
      marketplace: ticket.marketplace,
      seq,
      at,
      actor: context.actor,
      via: context.via,
      action: context.action,
      changes,
      ...(context.reason === undefined ? {} : { reason: context.reason }),
      ...(message ? { message: { id: message.id, kind: message.kind, visibility: message.visibility, sha256: message.sha256, length: message.length } } : {}),
      prevHash,
    });
  }

  private async write(
    ticket: Ticket,
    events: readonly AuditEvent[],
    linked: readonly TransactWriteItem[],
    condition: string,
    values?: Record<string, unknown>,
  ): Promise<void> {
    try {
      await this.send(ticket, events, linked, condition, values);
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = (index: number) => reasons[index]?.Code === 'ConditionalCheckFailed';
      if (failed(0)) throw new VersionConflictError(`ticket ${ticket.id} changed since version ${ticket.version - 1}`);
      if (linked.some((_item, index) => failed(index + 1 + events.length))) {
        throw new LinkedWriteConflictError(`a write linked to the change of ticket ${ticket.id} found its condition false`);
      }
      throw error;
    }
  }

  private async send(
    ticket: Ticket,
    events: readonly AuditEvent[],
    linked: readonly TransactWriteItem[],
    condition: string,
    values?: Record<string, unknown>,
  ): Promise<void> {
    await this.options.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.options.ticketsTable,
              Item: {
                ...ticketKey(ticket.id),
                customerKey: customerKey(ticket.kind, ticket.marketplace, ticket.customerRef),
                ...openIndexAttributes(ticket),
                ...queueAttributes(ticket),
                ...callbackIndexAttributes(ticket),
                ...ticket,
              },
              ConditionExpression: condition,
              ExpressionAttributeValues: values,
            },
          },
          ...events.map((event) => ({
            Put: {
              TableName: this.options.auditTable,
              Item: {
                ...ticketKey(ticket.id),
                sk: auditSortKey(event.seq),
                atKey: atKey(event),
                ...actorIndexAttributes(event.actor),
                ...event,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
          ...linked,
        ],
      }),
    );
  }
}

/** Top-level fields that differ between two versions of a ticket, as from → to. */
export function changesFrom(before: Partial<Ticket>, after: Partial<Ticket>): FieldChange[] {
  const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changes: FieldChange[] = [];
  for (const field of [...fields].sort()) {
    if (UNAUDITED_FIELDS.has(field)) continue;
    const from = (before as Record<string, unknown>)[field];
    const to = (after as Record<string, unknown>)[field];
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    changes.push(field === 'callbacks' ? outboxChange(from, to) : { field, from: auditedValue(field, from), to: auditedValue(field, to) });
  }
  return changes;
}
