import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { SQSRecord } from 'aws-lambda';
import type { Clock } from '@shared/clock';
import { parseWith, parseJson } from '@shared/http/parse';
import { logger } from '@shared/logger';
import { DEFAULT_SLA_POLICY, dueAfter } from '@shared/sla/policy';
import type { TicketRepository } from '@shared/tickets/ticket-repository';
import { queuedEventSchema } from '@shared/webhooks/events';
import type { Inbox, InboxItem } from '@shared/webhooks/inbox';

export interface ApplyEventDeps {
  readonly inbox: Inbox;
  readonly tickets: TicketRepository;
  readonly sfn: SFNClient;
  readonly complaintStateMachineArn: string;
  readonly clock: Clock;
}

/**
 * Applies one queued event. Safe to run again for the same event: the ticket create is
 * conditional, the execution name is the ticket id (a repeated start is harmless), and
 * the inbox records that the event was applied.
 */
export function createApplyEvent(deps: ApplyEventDeps) {
  return async function applyEvent(record: SQSRecord): Promise<void> {
    const message = parseWith(queuedEventSchema, parseJson(record.body), 'queued event');
    const item = await deps.inbox.find(message.marketplace, message.eventId);
    if (!item) throw new Error(`inbox event ${message.marketplace}/${message.eventId} not found`);
    if (item.status === 'applied') return;

    switch (item.event.type) {
      case 'complaint.created':
        await openComplaint(deps, item);
        break;
    }
    await deps.inbox.markApplied(item.marketplace, item.eventId, deps.clock.now().toISOString());
    logger.info('event applied', { marketplace: item.marketplace, eventId: item.eventId, ticketId: item.ticketId });
  };
}

async function openComplaint(deps: ApplyEventDeps, item: InboxItem): Promise<void> {
  const { data } = item.event;
  // Deadlines run from when the ticket is received, which is when the inbox stored it.
  await deps.tickets.create(
    {
      id: item.ticketId,
      kind: 'complaint',
      marketplace: item.marketplace,
      externalRef: data.reference,
      orderId: data.orderId,
      customerRef: data.customerRef,
      channel: data.channel,
      subject: data.subject,
      stage: 'awaiting_first_response',
      escalationTier: 0,
      deadlines: { firstResponse: { dueAt: dueAfter(item.receivedAt, DEFAULT_SLA_POLICY.firstResponseSeconds) } },
      breaches: [],
    },
    { actor: { type: 'marketplace', id: item.marketplace }, via: 'webhook', action: 'ticket.created' },
  );
  await startWorkflow(deps, item.ticketId);
}

async function startWorkflow(deps: ApplyEventDeps, ticketId: string): Promise<void> {
  try {
    await deps.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: deps.complaintStateMachineArn,
        name: ticketId,
        input: JSON.stringify({ ticketId }),
      }),
    );
  } catch (error) {
    // The execution for this ticket exists already (a redelivered message): nothing to do.
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
}
