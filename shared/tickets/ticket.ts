import { createHash } from 'node:crypto';

export type TicketKind = 'complaint' | 'return';

/**
 * Where a ticket is in its workflow. The foundation knows the first steps of a complaint;
 * later stages are added with the complaint and return workflows.
 */
export type TicketStage = 'awaiting_first_response' | 'handling';

export type DeadlineName = 'firstResponse';

export interface Deadline {
  /** Absolute due time: the workflow waits exactly until then, on the shared clock. */
  readonly dueAt: string;
  readonly metAt?: string;
  readonly breachedAt?: string;
}

export interface Breach {
  readonly metric: DeadlineName;
  readonly dueAt: string;
  readonly recordedAt: string;
  readonly lateBySeconds: number;
}

/** A human step the workflow is waiting on, with the task token that completes it. */
export interface AwaitingStep {
  readonly step: DeadlineName;
  readonly taskToken: string;
  readonly since: string;
}

/**
 * A complaint or return case. Holds no customer names, phones or addresses: the customer is
 * a pseudonymous reference chosen by the marketplace.
 */
export interface Ticket {
  readonly id: string;
  readonly kind: TicketKind;
  readonly marketplace: string;
  /** The marketplace's own reference for the case. */
  readonly externalRef: string;
  readonly orderId: string;
  readonly customerRef: string;
  readonly channel: string;
  readonly subject: string;
  readonly stage: TicketStage;
  readonly escalationTier: number;
  readonly deadlines: Readonly<Partial<Record<DeadlineName, Deadline>>>;
  readonly breaches: readonly Breach[];
  readonly awaiting?: AwaitingStep;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Incremented by every change; each write is conditioned on the version it read. */
  readonly version: number;
  /** Sequence number and hash of the ticket's latest audit event, to chain the next one. */
  readonly auditSeq: number;
  readonly auditHead: string;
}

/**
 * The ticket id for a marketplace's case reference. Derived, not random, so a redelivered
 * or reordered event always names the same ticket and a repeated workflow start is harmless.
 */
export function ticketIdFor(marketplace: string, externalRef: string): string {
  const digest = createHash('sha256').update(`${marketplace}\n${externalRef}`).digest('hex');
  return `tkt_${digest.slice(0, 24)}`;
}
