import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '@shared/clock';
import type { NewTicket } from '@shared/tickets/decide-event';
import { TicketRepository } from '@shared/tickets/ticket-repository';

/** A clock tests move by hand, one step per write, so events get distinct, known times. */
export class SteppingClock implements Clock {
  constructor(private current: number) {}
  nowMs(): number {
    return this.current;
  }
  now(): Date {
    return new Date(this.current);
  }
  step(ms: number): void {
    this.current += ms;
  }
}

/** A complaint ticket of `marketplace`, as the repository stores it. */
export function complaintTicket(id: string, marketplace: string): NewTicket {
  return {
    id,
    kind: 'complaint',
    marketplace,
    externalRef: id,
    orderId: `order-${id}`,
    customerRef: `cust-${id}`,
    channel: 'app',
    subject: 'Damaged',
    priority: 'normal',
    facts: {},
    stage: 'awaiting_first_response',
    escalationTier: 0,
    deadlines: { firstResponse: { dueAt: '2026-03-01T00:15:00.000Z' } },
    breaches: [],
  };
}

/**
 * Writes `tickets` tickets with `eventsPerTicket` audit events each through the product's own
 * write path (TicketRepository: one transaction per change), one second apart from
 * `startIso`, tickets interleaved so a time range cuts across many chains. Returns the ids.
 */
export async function writeAuditHistory(options: {
  client: DynamoDBDocumentClient;
  ticketsTable: string;
  auditTable: string;
  marketplace: string;
  tickets: number;
  eventsPerTicket: number;
  startIso: string;
  prefix: string;
}): Promise<string[]> {
  const clock = new SteppingClock(Date.parse(options.startIso));
  const repository = new TicketRepository({ client: options.client, ticketsTable: options.ticketsTable, auditTable: options.auditTable, clock });
  const ids = Array.from({ length: options.tickets }, (_, n) => `${options.prefix}-${n}`);
  const actor = { type: 'agent' as const, id: `${options.prefix}-agent` };
  for (const id of ids) {
    await repository.create(complaintTicket(id, options.marketplace), { actor: { type: 'system', id: 'test' }, via: 'workflow', action: 'ticket.created' });
    clock.step(1000);
  }
  for (let round = 1; round < options.eventsPerTicket; round += 1) {
    // The tickets of one round are written together: independent chains, one second apart.
    const batch = ids.map((id, n) => ({ id, at: clock.nowMs() + n * 1000 }));
    await Promise.all(
      batch.map(async ({ id, at }) => {
        const ticket = await repository.get(id);
        const atClock = { nowMs: () => at, now: () => new Date(at) };
        const writer = new TicketRepository({ client: options.client, ticketsTable: options.ticketsTable, auditTable: options.auditTable, clock: atClock });
        await writer.update(ticket, { escalationTier: round % 5 }, { actor, via: 'api', action: round % 2 ? 'ticket.noted' : 'ticket.escalated', reason: `round ${round}` });
      }),
    );
    clock.step(ids.length * 1000);
  }
  return ids;
}
