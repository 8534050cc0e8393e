import { clock } from '@shared/clock';
import { ticketIdFor } from '@shared/tickets/ticket';
import { TicketRepository } from '@shared/tickets/ticket-repository';
import type { InProcessStack } from '../support/in-process-stack';

const SEED_CONCURRENCY = 8;

/**
 * `count` open complaints assigned to `assignee`, written through the ticket repository (each
 * with its audit event and queue keys, as the stack writes them; far faster than opening each
 * by webhook). First responses fall due a minute apart, so the queue's order is known.
 * No workflow runs for them: the reconciler leaves tickets without a workflow intent alone.
 * Returns their references, soonest due first.
 */
export async function seedAssignedComplaints(stack: InProcessStack, options: { marketplace: string; assignee: string; count: number }): Promise<string[]> {
  const repository = new TicketRepository({ client: stack.documents, ticketsTable: 'aftercare-tickets', auditTable: 'aftercare-audit', clock });
  const now = clock.nowMs();
  const references = Array.from({ length: options.count }, (_, n) => `${options.marketplace}-${String(n).padStart(4, '0')}`);
  let next = 0;
  const worker = async () => {
    for (let n = next++; n < references.length; n = next++) {
      const reference = references[n]!;
      await repository.create(
        {
          id: ticketIdFor(options.marketplace, reference),
          kind: 'complaint',
          marketplace: options.marketplace,
          externalRef: reference,
          orderId: `order-${reference}`,
          customerRef: `cust-${reference}`,
          subject: `Seeded complaint ${reference}`,
          priority: 'normal',
          category: 'logistics',
          facts: {},
          stage: 'awaiting_first_response',
          escalationTier: 0,
          assignee: options.assignee,
          deadlines: { firstResponse: { dueAt: new Date(now + (n + 1) * 60_000).toISOString() } },
          breaches: [],
        },
        { actor: { type: 'system', id: 'test' }, via: 'workflow', action: 'ticket.created' },
      );
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
  return references;
}
