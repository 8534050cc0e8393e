import { complaintDeadlines } from '@shared/sla/policy';
import type { Ticket } from '@shared/tickets/ticket';

/** When the test complaints were received: their deadlines run from here. */
export const RECEIVED = '2026-03-01T08:00:00.000Z';

/** A stored complaint received at {@link RECEIVED}, awaiting its first response; `overrides` set any field. */
export function complaintTicket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: 'tkt_1',
    kind: 'complaint',
    marketplace: 'demo',
    externalRef: 'C-1',
    orderId: 'O-1',
    customerRef: 'c-1',
    priority: 'normal',
    stage: 'awaiting_first_response',
    escalationTier: 0,
    deadlines: complaintDeadlines(RECEIVED),
    breaches: [],
    facts: {},
    createdAt: RECEIVED,
    updatedAt: RECEIVED,
    version: 1,
    auditSeq: 1,
    auditHead: '',
    ...overrides,
  };
}
