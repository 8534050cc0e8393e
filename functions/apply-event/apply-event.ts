import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SQSRecord } from 'aws-lambda';
import { eventRejectedCallback } from '@shared/callbacks/event-rejected';
import type { Clock } from '@shared/clock';
import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import { resolveReturnPolicy } from '@shared/returns/policy';
import { businessCalendarOf } from '@shared/calendar/calendar-schema';
import { resolveSlaPolicy } from '@shared/sla/policy';
import { messageOfEvent } from '@shared/conversation/message';
import { parseJson, parseWith } from '@shared/http/parse';
import { logger } from '@shared/logger';
import { REPEAT_WINDOW_DAYS } from '@shared/tickets/classify';
import { decideEvent } from '@shared/tickets/decide-event';
import { retryOnConflict } from '@shared/tickets/retry-on-conflict';
import type { Ticket, TicketKind } from '@shared/tickets/ticket';
import { LinkedWriteConflictError, type TicketRepository } from '@shared/tickets/ticket-repository';
import { sendRecordedCompletion } from '@shared/workflows/complete-step';
import { endsTheWait } from '@shared/workflows/plan';
import { startExecutionFor } from '@shared/workflows/start-execution';
import { completedNow, completingStep, FIRST_RUN } from '@shared/workflows/workflow-intent';
import { queuedEventSchema, type QueuedEvent } from '@shared/webhooks/events';
import type { Inbox, InboxItem } from '@shared/webhooks/inbox';

export interface ApplyEventDeps {
  readonly inbox: Inbox;
  readonly tickets: TicketRepository;
  readonly sfn: SFNClient;
  readonly sqs: SQSClient;
  readonly eventsQueueUrl: string;
  /** State machine each kind of ticket runs on, where its workflow exists. */
  readonly stateMachineArns: Readonly<Partial<Record<TicketKind, string>>>;
  readonly registry: () => Promise<MarketplaceRegistry>;
  readonly clock: Clock;
}

const marketplaceActor = (item: InboxItem) => ({ type: 'marketplace' as const, id: item.marketplace });

/**
 * Applies one queued marketplace event to its ticket, exactly once: the ticket change, its
 * audit event and the inbox status `applied` are one transaction, so a redelivered message
 * finds the event applied and does nothing. An event that arrived before the one it depends
 * on is held, and queued again when that one is applied; one that can never apply is
 * rejected with its reason. Nothing is lost.
 */
export function createApplyEvent(deps: ApplyEventDeps) {
  return async function applyEvent(record: SQSRecord): Promise<void> {
    const message = parseWith(queuedEventSchema, parseJson(record.body), 'queued event');
    const item = await deps.inbox.find(message.marketplace, message.eventId);
    if (!item) throw new Error(`inbox event ${message.marketplace}/${message.eventId} not found`);
    if (item.status === 'applied' || item.status === 'rejected') return;

    try {
      await retryOnConflict(() => applyOnce(deps, item));
    } catch (error) {
      // The inbox said "not applied yet" but the transaction found it applied: a concurrent delivery won.
      if (error instanceof LinkedWriteConflictError) return;
      throw error;
    }
  };
}

async function applyOnce(deps: ApplyEventDeps, item: InboxItem): Promise<void> {
  const now = deps.clock.now().toISOString();
  const ticket = await deps.tickets.find(item.ticketId);
  const marketplace = (await deps.registry()).marketplaces[item.marketplace];
  const sla = marketplace?.sla;
  const recentComplaints =
    !ticket && item.event.type === 'complaint.created'
      ? await deps.tickets.countComplaintsSince(item.marketplace, item.event.data.customerRef, daysBefore(item.receivedAt, REPEAT_WINDOW_DAYS))
      : 0;
  const decision = decideEvent(item.event, ticket, {
    marketplace: item.marketplace,
    ticketId: item.ticketId,
    receivedAt: item.receivedAt,
    slaPolicy: (priority) => resolveSlaPolicy(sla, priority, marketplace?.calendar !== undefined),
    calendar: marketplace?.calendar && businessCalendarOf(marketplace.calendar),
    returnPolicy: resolveReturnPolicy(marketplace?.returns),
    recentComplaints,
  });
  const log = { marketplace: item.marketplace, eventId: item.eventId, ticketId: item.ticketId, type: item.event.type };

  switch (decision.kind) {
    case 'open': {
      // A marketplace with a callback URL hears back about this ticket's decisions (recorded as it opens).
      const withCallbacks = marketplace?.callbackUrl ? { ...decision.ticket, callbacksEnabled: true } : decision.ticket;
      // The intent that its first execution runs is part of the opening transaction; the reconciler holds to it.
      const opened = deps.stateMachineArns[decision.ticket.kind] ? { ...withCallbacks, workflow: FIRST_RUN } : withCallbacks;
      const created = await deps.tickets.create(
        opened,
        { actor: marketplaceActor(item), via: 'webhook', action: decision.action, message: messageOfEvent(item.event) },
        [deps.inbox.appliedWrite(item, now)],
      );
      if (!created) return applyOnce(deps, item); // opened meanwhile by another event: decide again
      logger.info('ticket opened', log);
      await startWorkflow(deps, created);
      await releaseHeld(deps, item.ticketId);
      return;
    }
    case 'update': {
      const current = ticket as Ticket;
      // The event completes the step it is (a customer's reply, a shipment...); and since the workflow re-plans
      // from the ticket, so does any change after which the ticket awaits another step (a moved stage, a next reply started).
      const completes = current.awaiting !== undefined && (current.awaiting.step === decision.completesStep || endsTheWait(current, decision.change));
      const updated = await deps.tickets.update(
        current,
        completingStep(current, decision.change, completes, now),
        { actor: marketplaceActor(item), via: 'webhook', action: decision.action, message: messageOfEvent(item.event) },
        [deps.inbox.appliedWrite(item, now)],
      );
      logger.info('event applied', log);
      if (completedNow(current, updated)) await sendRecordedCompletion(deps.sfn, updated, deps.clock.nowMs());
      // Held events wait for the opening event, a shipment or a receipt: only those can release them.
      if (decision.releasesHeld) await releaseHeld(deps, item.ticketId);
      return;
    }
    case 'hold': {
      await deps.inbox.hold(item, decision.reason);
      logger.info('event held', { ...log, reason: decision.reason });
      // The event it waits for may have been applied between our read and the hold: look again.
      if (await deps.tickets.find(item.ticketId)) await releaseHeld(deps, item.ticketId);
      return;
    }
    case 'reject':
      await deps.inbox.reject(item, decision.reason, now, eventRejectedCallback(marketplace, item, decision.reason, now));
      logger.warn('event rejected', { ...log, reason: decision.reason });
      return;
  }
}

/** Queues again the events that were waiting for this ticket; each one is decided afresh. */
async function releaseHeld(deps: ApplyEventDeps, ticketId: string): Promise<void> {
  for (const held of await deps.inbox.heldFor(ticketId)) {
    if (await deps.inbox.release(held)) await queue(deps, { marketplace: held.marketplace, eventId: held.eventId });
  }
}

async function queue(deps: ApplyEventDeps, message: QueuedEvent): Promise<void> {
  await deps.sqs.send(new SendMessageCommand({ QueueUrl: deps.eventsQueueUrl, MessageBody: JSON.stringify(message) }));
}

/**
 * Starts the ticket's first execution, with its plan, after the ticket (with that intent) is
 * committed. A failure is logged, not thrown: the event is applied, and the reconciler starts
 * the execution within a minute or two. A repeated start of the same name is harmless.
 */
async function startWorkflow(deps: ApplyEventDeps, ticket: Ticket): Promise<void> {
  const stateMachineArn = deps.stateMachineArns[ticket.kind];
  if (!stateMachineArn) return;
  try {
    await startExecutionFor(deps.sfn, stateMachineArn, ticket, deps.clock.nowMs());
  } catch (error) {
    logger.warn('could not start the workflow; the reconciler will', { ticketId: ticket.id, error: (error as Error).name });
  }
}

const daysBefore = (iso: string, days: number) => new Date(Date.parse(iso) - days * 86_400_000).toISOString();
