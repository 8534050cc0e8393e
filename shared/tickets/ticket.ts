import { createHash } from 'node:crypto';
import type { BusinessCalendar } from '@shared/calendar/business-calendar';
import type { OutboundCallback } from '@shared/callbacks/outbox';
import type { EligibilityRule } from '@shared/returns/eligibility';
import type { ReturnPolicy } from '@shared/returns/policy';
import type { DeadlineClock } from '@shared/sla/deadline-clock';
import type { SlaPolicy } from '@shared/sla/policy';
import type { COMPLAINT_CATEGORIES, PRIORITIES, RETURN_REQUEST_TYPES } from '@shared/webhooks/events';

export type TicketKind = 'complaint' | 'return';
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
export type Priority = (typeof PRIORITIES)[number];
export type ReturnRequestType = (typeof RETURN_REQUEST_TYPES)[number];

/**
 * Where a ticket is in its workflow. Agents' actions move a complaint along; marketplace
 * events record facts (below) that the workflow reads.
 */
export type TicketStage =
  | 'awaiting_first_response'
  | 'awaiting_handling'
  | 'awaiting_resolution'
  | 'awaiting_customer'
  | 'resolved'
  | 'awaiting_survey'
  | 'closed'
  // Return stages (see shared/returns/return-flow.ts).
  | 'requested'
  | 'awaiting_shipment'
  | 'awaiting_receipt'
  | 'refund_due'
  | 'awaiting_replacement'
  | 'awaiting_repair'
  | 'awaiting_delivery'
  | 'inspection_failed'
  | 'rejected'
  | 'intervention';

/**
 * The service-level deadlines of a complaint (docs/complaints.md: 15 min, 24 h, 48 h by default;
 * `nextReply`, 15 min, runs again after each customer message once the first response is
 * done), and the time limits of a return: the merchant's (decision, receipt, refund: a miss is a breach)
 * and the buyer's windows (shipment, intervention: their end moves the case on, no breach).
 */
export const DEADLINE_NAMES = [
  'firstResponse',
  'nextReply',
  'initialHandling',
  'resolution',
  'merchantDecision',
  'buyerShipment',
  'merchantReceipt',
  'refund',
  'interventionWindow',
] as const;
export type DeadlineName = (typeof DEADLINE_NAMES)[number];

export interface Deadline {
  /** Absolute due time: the workflow waits exactly until then, on the shared clock. */
  readonly dueAt: string;
  /** The clock it counts in: `business` (working hours of the ticket's calendar) or `calendar`. Absent: calendar. */
  readonly clock?: DeadlineClock;
  /** When its span started, for a deadline that does not run from the ticket's opening (a next reply: the customer's message). */
  readonly startedAt?: string;
  /** When on-call was warned that the deadline is near. */
  readonly warnedAt?: string;
  readonly metAt?: string;
  readonly breachedAt?: string;
}

/**
 * A next reply the agent gave: the customer's message that started it, when it was due, when
 * a public reply met it and how long that took, kept on the ticket for the KPIs (the share on
 * time, the mean reply interval).
 */
export interface NextReplyRecord {
  /** When the customer's message that started the deadline was received. */
  readonly startedAt: string;
  readonly dueAt: string;
  readonly clock?: DeadlineClock;
  readonly metAt: string;
  /** Seconds from the customer's message to the reply, every second counted. */
  readonly repliedAfterSeconds: number;
  /** The same on the business clock, when the deadline counted in business time. */
  readonly repliedAfterBusinessSeconds?: number;
  readonly onTime: boolean;
  /** How late the reply was (0 when on time). */
  readonly lateBySeconds: number;
  readonly warnedAt?: string;
  readonly breachedAt?: string;
}

export interface Breach {
  readonly metric: DeadlineName;
  readonly dueAt: string;
  readonly recordedAt: string;
  readonly lateBySeconds: number;
  /** The tier the breach raised the ticket to (into that tier's pool), when it raised it. */
  readonly escalatedTo?: number;
}

/** A human or external step the workflow is waiting on, with the task token that completes it. */
export interface AwaitingStep {
  readonly step: string;
  readonly taskToken: string;
  readonly since: string;
}

/**
 * What must hold in Step Functions for this ticket, recorded with the change that makes it
 * so (one transaction): the execution of this generation runs while the ticket is open
 * (named `<ticket id>-<generation>`: AWS refuses a used name for 90 days, so a repair starts
 * the next generation), and a step the change completed still gets its task token sent.
 * The reconciler makes it hold when a Step Functions call failed or an execution ended.
 */
export interface WorkflowIntent {
  readonly generation: number;
  /** A step completed by an action or event: its token is sent (SendTaskSuccess) until the execution moves on. */
  readonly completing?: { readonly step: string; readonly taskToken: string; readonly at: string };
}

/** The return request as the marketplace filed it. */
export interface ReturnRequest {
  readonly requestType: ReturnRequestType;
  readonly reason: string;
  readonly deliveredAt: string;
  readonly productCategory: string;
  readonly amount: number;
  readonly currency: string;
}

/** The merchant's, the platform's or the policy's answer to a return request. */
export interface ReturnDecision {
  readonly outcome: 'approved' | 'rejected';
  /** `policy`: ineligible; `deadline`: the merchant stayed silent; `platform`: a manager decided on intervention. */
  readonly by: 'merchant' | 'policy' | 'deadline' | 'platform';
  readonly at: string;
  readonly reason?: string;
  /** The eligibility rule that rejected the request, when the policy did. */
  readonly rule?: EligibilityRule;
}

/** How a return case ended. */
export type ReturnOutcome = 'refunded' | 'exchanged' | 'repaired' | 'abandoned' | 'rejected';

/**
 * What the marketplace reported, each with the time it happened there. Kept as facts (sets
 * ordered by time, latest values by time) so events applied in any order end in the same
 * ticket.
 */
export interface CaseFacts {
  readonly lastCustomerReplyAt?: string;
  readonly customerConfirmedAt?: string;
  readonly reopenings?: readonly { readonly at: string; readonly reason: string }[];
  readonly survey?: { readonly csat: number; readonly nps?: number; readonly comment?: string; readonly answeredAt: string };
  readonly shipment?: { readonly trackingNumber: string; readonly carrier?: string; readonly shippedAt: string };
  readonly receivedAt?: string;
  readonly inspection?: { readonly passed: boolean; readonly reason?: string; readonly evidenceRef?: string; readonly at: string };
  readonly refund?: { readonly refundId: string; readonly amount: number; readonly currency: string; readonly completedAt: string };
  readonly intervention?: { readonly requestedAt: string; readonly reason: string };
  /** The replacement (exchange) or the repaired item (repair) sent back to the buyer. */
  readonly redelivery?: { readonly trackingNumber: string; readonly shippedAt: string };
  readonly deliveredToBuyerAt?: string;
}

/** Scores 1–5 and the comment of a quality review, with who reviewed and when. */
export interface TicketQualityReview {
  readonly reviewId: string;
  readonly courtesy: number;
  readonly accuracy: number;
  readonly process: number;
  readonly comment: string;
  readonly by: string;
  readonly at: string;
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
  readonly channel?: string;
  readonly subject?: string;
  readonly category?: ComplaintCategory;
  readonly priority: Priority;
  /** Whether the customer complained to this marketplace in the 30 days before. */
  readonly repeat?: boolean;
  readonly returnRequest?: ReturnRequest;
  /** The return policy in force when the request opened (its limits and eligibility came from it). */
  readonly returnPolicy?: ReturnPolicy;
  readonly returnDecision?: ReturnDecision;
  readonly outcome?: ReturnOutcome;
  /** After a failed inspection: the stage a manager's `overturn` returns the ticket to. */
  readonly reviewOf?: TicketStage;
  /** When a manager overruled a failed inspection (a later failure report does not reopen it). */
  readonly inspectionOverruledAt?: string;
  readonly stage: TicketStage;
  readonly escalationTier: number;
  readonly assignee?: string;
  readonly deadlines: Readonly<Partial<Record<DeadlineName, Deadline>>>;
  /** The SLA policy in force when the ticket opened (its deadlines were computed from it). */
  readonly slaPolicy?: SlaPolicy;
  /** The marketplace's business calendar in force when the ticket opened (its business-time deadlines count on it). */
  readonly calendar?: BusinessCalendar;
  readonly breaches: readonly Breach[];
  /** Every next reply met so far, oldest first (the running one is `deadlines.nextReply`). */
  readonly nextReplies?: readonly NextReplyRecord[];
  /**
   * Breaches recorded by a late action (before the workflow's own timeout recorded them) whose
   * on-call notification is still owed: the workflow's RecordDeadline tells on-call and clears
   * the entry.
   */
  readonly breachesToNotify?: readonly DeadlineName[];
  readonly facts: CaseFacts;
  readonly awaiting?: AwaitingStep;
  /** What Step Functions must do for this ticket; absent on tickets opened before it was recorded (execution named by the ticket id). */
  readonly workflow?: WorkflowIntent;
  /** While waiting on the customer: the stage the ticket returns to when the customer replies. */
  readonly pausedFrom?: TicketStage;
  /** When the resolution clock stood still waiting on the customer (`to` absent while paused). */
  readonly pausedIntervals?: readonly { readonly from: string; readonly to?: string }[];
  /** When the customer confirmed the resolution, or silence was taken as confirmation. */
  readonly confirmedAt?: string;
  /** When the satisfaction survey was sent (the answer window runs from then). */
  readonly surveySentAt?: string;
  readonly closedAt?: string;
  /** Whether the marketplace had a callback URL when the ticket opened: its decisions are then sent back. */
  readonly callbacksEnabled?: boolean;
  /** The outbox of callbacks to the marketplace, with each one's delivery state. */
  readonly callbacks?: readonly OutboundCallback[];
  /** On-call deliveries made for this ticket, as `<notification id>@<channel>` (a notification is one per ticket, metric and kind). */
  readonly notificationsSent?: readonly string[];
  /** A supervisor's quality review of the closed complaint, when a quality draw picked it (see shared/quality). */
  readonly qualityReview?: TicketQualityReview;
  readonly createdAt: string;
  /** When the case last changed; the system's own bookkeeping on the ticket leaves it (see `ChangeContext.bookkeeping`). */
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
