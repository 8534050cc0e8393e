import { schedules } from '@infra/resources';
import type { BenchApi } from '../api-client';

const MINUTE = 60;
const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * A ticket's callbacks leave on the relay's next run, a minute at most after the change that
 * caused them. People and marketplaces act on a ticket minutes apart, not at one instant, so
 * each step of a path is followed by this much time on the stack's clock: the callbacks each
 * step causes are posted and recorded before the next step, as they would be on AWS (posted all
 * at once at the end, they would be recorded in one write instead of one per step).
 */
const RELAY_SECONDS = 60 * schedules.find((schedule) => schedule.function === 'relay-callbacks')!.everyMinutes;

export interface ScenarioContext {
  readonly api: BenchApi;
  /** Now on the stack's clock, in unix seconds. */
  readonly nowSeconds: () => number;
}

/** A path a ticket takes from its first webhook to its close, driven as its users would. */
export interface Scenario {
  readonly name: string;
  /** A short name for table columns. */
  readonly column: string;
  readonly kind: 'complaint' | 'return';
  /** Opens a ticket for `reference`, takes it to the end of the path, and returns its id. */
  run(context: ScenarioContext, reference: string): Promise<string>;
}

let eventSequence = 0;

async function marketplaceEvent(context: ScenarioContext, reference: string, type: string, data: Record<string, unknown> = {}) {
  eventSequence += 1;
  const at = context.nowSeconds();
  const answer = await context.api.webhook(
    { id: `evt-${reference}-${eventSequence}`, type, occurredAt: new Date(at * 1000).toISOString(), data: { reference, ...data } },
    at,
  );
  if (answer.status !== 202) throw new Error(`${type} for ${reference} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  await context.api.advance(RELAY_SECONDS);
  return answer.body as { ticketId: string };
}

/** The person reads the ticket, then acts on it, as the console does. */
async function act(context: ScenarioContext, ticketId: string, role: string, action: Record<string, unknown>) {
  const read = await context.api.get(`/tickets/${ticketId}`, role);
  if (read.status !== 200) throw new Error(`reading ${ticketId} answered ${read.status}`);
  const answer = await context.api.post(`/tickets/${ticketId}/actions`, action, role);
  if (answer.status !== 200) throw new Error(`${String(action.type)} on ${ticketId} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  await context.api.advance(RELAY_SECONDS);
}

async function openComplaint(context: ScenarioContext, reference: string): Promise<string> {
  const opened = await marketplaceEvent(context, reference, 'complaint.created', {
    orderId: `order-${reference}`,
    customerRef: `cust-${reference}`,
    channel: 'app',
    subject: 'Parcel arrived damaged',
    description: 'The box was crushed and the item is broken.',
  });
  return opened.ticketId;
}

async function finishComplaint(context: ScenarioContext, reference: string, ticketId: string): Promise<void> {
  for (const type of ['respond', 'handle', 'resolve']) await act(context, ticketId, 'agent', { type, message: `${type} done` });
  await marketplaceEvent(context, reference, 'complaint.customer_confirmed');
  await marketplaceEvent(context, reference, 'survey.answered', { csat: 5, nps: 9 });
}

async function requestReturn(context: ScenarioContext, reference: string, requestType: string, deliveredDaysAgo = 2): Promise<string> {
  const opened = await marketplaceEvent(context, reference, 'return.requested', {
    orderId: `order-${reference}`,
    customerRef: `cust-${reference}`,
    requestType,
    reason: 'does not fit',
    deliveredAt: new Date((context.nowSeconds() - deliveredDaysAgo * DAY) * 1000).toISOString(),
    productCategory: 'apparel',
    amount: 199,
    currency: 'CNY',
  });
  return opened.ticketId;
}

async function refundAndSurvey(context: ScenarioContext, reference: string): Promise<void> {
  await marketplaceEvent(context, reference, 'refund.completed', { refundId: `rf-${reference}`, amount: 199, currency: 'CNY' });
  await marketplaceEvent(context, reference, 'survey.answered', { csat: 4 });
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'complaint, happy path',
    column: 'complaint',
    kind: 'complaint',
    async run(context, reference) {
      const ticketId = await openComplaint(context, reference);
      await finishComplaint(context, reference, ticketId);
      return ticketId;
    },
  },
  {
    name: 'complaint, first response breached',
    column: 'complaint, breached',
    kind: 'complaint',
    async run(context, reference) {
      const ticketId = await openComplaint(context, reference);
      await context.api.advance(15 * MINUTE); // the warning at 12 min, the breach at 15, on-call told of both
      await finishComplaint(context, reference, ticketId);
      return ticketId;
    },
  },
  {
    name: 'return, refund only',
    column: 'refund only',
    kind: 'return',
    async run(context, reference) {
      const ticketId = await requestReturn(context, reference, 'refund_only');
      await act(context, ticketId, 'merchant', { type: 'approve' });
      await refundAndSurvey(context, reference);
      return ticketId;
    },
  },
  {
    name: 'return and refund',
    column: 'return + refund',
    kind: 'return',
    async run(context, reference) {
      const ticketId = await requestReturn(context, reference, 'return_refund');
      await act(context, ticketId, 'merchant', { type: 'approve' });
      await marketplaceEvent(context, reference, 'return.shipped', { trackingNumber: `SF-${reference}` });
      await act(context, ticketId, 'merchant', { type: 'confirm_receipt' });
      await refundAndSurvey(context, reference);
      return ticketId;
    },
  },
  {
    name: 'return, auto-approved (merchant silent 48 h)',
    column: 'auto-approved',
    kind: 'return',
    async run(context, reference) {
      const ticketId = await requestReturn(context, reference, 'return_refund');
      await context.api.advance(2 * DAY);
      await marketplaceEvent(context, reference, 'return.shipped', { trackingNumber: `SF-${reference}` });
      await marketplaceEvent(context, reference, 'return.received');
      await refundAndSurvey(context, reference);
      return ticketId;
    },
  },
  {
    name: 'return, ineligible (rejection final)',
    column: 'ineligible',
    kind: 'return',
    async run(context, reference) {
      const ticketId = await requestReturn(context, reference, 'refund_only', 30);
      await context.api.advance(7 * DAY); // no intervention requested: the policy's rejection is final
      return ticketId;
    },
  },
];
