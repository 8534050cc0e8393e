import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/aws/local-aws-environment';
import { complaintCreated } from '../support/http-client';
import { startInProcessStack, type InProcessStack } from '../support/in-process-stack';
import { startNotificationReceiver } from '../support/notification-receiver';
import { workflowPath } from '../support/workflow-path';

const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * The return workflow on the whole local stack (manual clock): signed webhooks open and feed
 * return tickets, merchants and managers act over HTTP, the return state machine waits on
 * task tokens with the limits on the ticket, and each missed limit is recorded when the
 * manual clock reaches it. One case per path, each bounding its billed transitions.
 */
describe('return workflow on the local stack', () => {
  let env: InProcessStack;
  let sfn: SFNClient;
  let receiver: Awaited<ReturnType<typeof startNotificationReceiver>>;

  beforeAll(async () => {
    receiver = await startNotificationReceiver();
    const configFile = join(mkdtempSync(join(tmpdir(), 'aftercare-returns-')), 'config.json');
    writeFileSync(configFile, JSON.stringify({ marketplaces: {}, onCall: { webhookUrl: receiver.url } }));
    env = await startInProcessStack({ configFile });
    sfn = new SFNClient({ endpoint: env.stack.endpoints.sfn, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  }, 120_000);

  afterAll(async () => {
    sfn?.destroy();
    await env?.stop();
    await receiver?.close();
  });

  const api = () => env.api;
  const executionArn = (ticketId: string) => `${env.stack.stateMachineArns.return.replace(':stateMachine:', ':execution:')}:${ticketId}-1`; // the first generation
  const status = async (ticketId: string) => (await sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(ticketId) }))).status;
  async function history(ticketId: string): Promise<HistoryEvent[]> {
    return (await sfn.send(new GetExecutionHistoryCommand({ executionArn: executionArn(ticketId), maxResults: 1000 }))).events ?? [];
  }
  const transitions = async (ticketId: string) => (await history(ticketId)).filter((event) => event.type?.endsWith('StateEntered')).length;
  /** The waiting and recording states the execution went through, in order: each wait by its step, each recording by its phase. */
  const stagesSeen = async (ticketId: string) => workflowPath(await history(ticketId)).filter((name) => !['PlanNextStep', 'WhichStage'].includes(name));
  const ticket = async (ticketId: string) => (await api().get(`/tickets/${ticketId}`, await api().token('manager'))).body.ticket;
  /** The ticket's audit actions, without the workflow's own bookkeeping. */
  async function actions(ticketId: string): Promise<string[]> {
    const audit = await api().get(`/audit/tickets/${ticketId}`, await api().token('auditor'));
    expect(audit.body.chain).toMatchObject({ valid: true });
    return (audit.body.events as { action: string }[]).map((event) => event.action).filter((action) => !['workflow.awaiting_agent', 'notification.sent'].includes(action));
  }
  // Deadline notifications; a breach that raises the tier also sends `ticket.escalated` (checked where it matters).
  const toldAbout = (ticketId: string) => receiver.received.filter((n) => n.body.ticketId === ticketId && String(n.body.type).startsWith('sla.')).map((n) => n.body);
  const escalationsOf = (ticketId: string) => receiver.received.filter((n) => n.body.ticketId === ticketId && n.body.type === 'ticket.escalated').map((n) => n.body);

  let eventCount = 0;
  async function marketplaceEvent(reference: string, type: string, data: Record<string, unknown> = {}) {
    eventCount += 1;
    const body = { id: `evt-${reference}-${eventCount}`, type, occurredAt: new Date((await api().nowSeconds()) * 1000).toISOString(), data: { reference, ...data } };
    const answer = await api().sendWebhook('demo', env.secret, JSON.stringify(body));
    expect(answer.status).toBe(202);
    await api().advance(0);
    return answer.body;
  }

  async function requestReturn(reference: string, options: { requestType?: string; deliveredDaysAgo?: number; productCategory?: string } = {}): Promise<string> {
    const deliveredAt = new Date(((await api().nowSeconds()) - (options.deliveredDaysAgo ?? 2) * DAY) * 1000).toISOString();
    const accepted = await marketplaceEvent(reference, 'return.requested', {
      orderId: `order-${reference}`,
      customerRef: `cust-${reference}`,
      requestType: options.requestType ?? 'return_refund',
      reason: 'does not fit',
      deliveredAt,
      productCategory: options.productCategory ?? 'apparel',
      amount: 199,
      currency: 'CNY',
    });
    return accepted.ticketId as string;
  }

  async function act(ticketId: string, body: Record<string, unknown>, role = 'merchant') {
    const answer = await api().post(`/tickets/${ticketId}/actions`, body, await api().token(role));
    await api().advance(0);
    return answer;
  }

  it('approve → ship → receive → refund → survey: closed as refunded, in 7 transitions', async () => {
    const ticketId = await requestReturn('happy-1');
    expect(await ticket(ticketId)).toMatchObject({
      kind: 'return',
      stage: 'requested',
      awaiting: { step: 'decision' },
      returnPolicy: { merchantDecisionSeconds: 2 * DAY, noReasonWindowSeconds: 7 * DAY },
    });

    expect((await act(ticketId, { type: 'approve' })).body.ticket).toMatchObject({ stage: 'awaiting_shipment', returnDecision: { outcome: 'approved', by: 'merchant' } });
    expect(await ticket(ticketId)).toMatchObject({ awaiting: { step: 'buyerShipment' } });
    await marketplaceEvent('happy-1', 'return.shipped', { trackingNumber: 'SF1001' });
    expect(await ticket(ticketId)).toMatchObject({ stage: 'awaiting_receipt', awaiting: { step: 'receipt' } });
    expect((await act(ticketId, { type: 'confirm_receipt' })).body.ticket).toMatchObject({ stage: 'refund_due' });
    expect((await act(ticketId, { type: 'inspect', passed: true })).body.ticket).toMatchObject({ stage: 'refund_due', facts: { inspection: { passed: true } } });
    await marketplaceEvent('happy-1', 'refund.completed', { refundId: 'rf-1', amount: 199, currency: 'CNY' });
    expect(await ticket(ticketId)).toMatchObject({ stage: 'awaiting_survey', outcome: 'refunded', awaiting: { step: 'survey' } });
    await marketplaceEvent('happy-1', 'survey.answered', { csat: 5 });

    const closed = await ticket(ticketId);
    expect(closed).toMatchObject({ stage: 'closed', outcome: 'refunded', breaches: [] });
    for (const name of ['merchantDecision', 'buyerShipment', 'merchantReceipt', 'refund']) expect(closed.deadlines[name].metAt).toEqual(expect.any(String));
    expect(await actions(ticketId)).toEqual([
      'ticket.created',
      'return.approved',
      'return.shipped',
      'return.receipt_confirmed',
      'return.inspection_passed',
      'refund.completed',
      'survey.answered',
    ]);
    expect(await status(ticketId)).toBe('SUCCEEDED');
    expect(await transitions(ticketId)).toBe(7);
    expect(await stagesSeen(ticketId)).toEqual(['AwaitStep decision', 'AwaitStep buyerShipment', 'AwaitStep receipt', 'AwaitStep refund', 'AwaitStep survey', 'Done']);
    expect((await history(ticketId)).map((event) => event.type)).not.toContain('TaskTimedOut');
  });

  it('auto-approves on 48 h of merchant silence: breach recorded, escalated, on-call told', async () => {
    const ticketId = await requestReturn('silent-merchant');
    await api().advance(2 * DAY - 1);
    expect((await ticket(ticketId)).stage).toBe('requested');
    await api().advance(1);

    const approved = await ticket(ticketId);
    expect(approved).toMatchObject({
      stage: 'awaiting_shipment',
      returnDecision: { outcome: 'approved', by: 'deadline' },
      escalationTier: 1,
      breaches: [{ metric: 'merchantDecision', lateBySeconds: 0 }],
      awaiting: { step: 'buyerShipment' },
    });
    expect(toldAbout(ticketId)).toEqual([expect.objectContaining({ type: 'sla.breached', metric: 'merchantDecision', escalationTier: 1 })]);
    expect(escalationsOf(ticketId)).toEqual([expect.objectContaining({ kind: 'escalated', metric: 'merchantDecision', escalationTier: 1, assignee: null })]);
    expect(await actions(ticketId)).toEqual(['ticket.created', 'sla.breached']);
    expect((await history(ticketId)).map((event) => event.type)).toContain('TaskTimedOut');
    expect(await transitions(ticketId)).toBe(5);
    expect(await stagesSeen(ticketId)).toEqual(['AwaitStep decision', 'RecordDeadline deadline', 'AwaitStep buyerShipment']);
  });

  it('closes the request as abandoned when the buyer does not ship within 7 days of approval', async () => {
    const ticketId = await requestReturn('never-ships');
    await act(ticketId, { type: 'approve' });
    await api().advance(7 * DAY);

    expect(await ticket(ticketId)).toMatchObject({ stage: 'closed', outcome: 'abandoned', breaches: [], escalationTier: 0 });
    expect(await actions(ticketId)).toEqual(['ticket.created', 'return.approved', 'return.abandoned']);
    expect(toldAbout(ticketId)).toEqual([]);
    expect(await status(ticketId)).toBe('SUCCEEDED');
    expect(await transitions(ticketId)).toBe(6);
  });

  it('makes the refund due when the merchant does not confirm receipt within 10 days of shipment', async () => {
    const ticketId = await requestReturn('never-received');
    await act(ticketId, { type: 'approve' });
    await marketplaceEvent('never-received', 'return.shipped', { trackingNumber: 'SF1002' });
    await api().advance(10 * DAY);

    const due = await ticket(ticketId);
    expect(due).toMatchObject({ stage: 'refund_due', breaches: [{ metric: 'merchantReceipt' }], escalationTier: 1, awaiting: { step: 'refund' } });
    expect(Date.parse(due.deadlines.refund.dueAt) - Date.parse(due.deadlines.merchantReceipt.breachedAt)).toBe(7 * DAY * 1000);
    expect(toldAbout(ticketId)).toEqual([expect.objectContaining({ metric: 'merchantReceipt', type: 'sla.breached' })]);
    expect(await actions(ticketId)).toEqual(['ticket.created', 'return.approved', 'return.shipped', 'sla.breached']);
    expect(await transitions(ticketId)).toBe(7);
  });

  it('sends a failed inspection (reason and evidence) to a manager, whose uphold is final', async () => {
    const ticketId = await requestReturn('bad-inspection');
    await act(ticketId, { type: 'approve' });
    await marketplaceEvent('bad-inspection', 'return.shipped', { trackingNumber: 'SF1003' });
    await act(ticketId, { type: 'confirm_receipt' });

    const incomplete = await act(ticketId, { type: 'inspect', passed: false, message: 'Worn and washed.' });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.message).toContain('evidence reference');
    const failed = await act(ticketId, { type: 'inspect', passed: false, message: 'Worn and washed.', evidenceRef: 'photos/bad-1.jpg' });
    expect(failed.body.ticket).toMatchObject({
      stage: 'inspection_failed',
      reviewOf: 'refund_due',
      escalationTier: 2,
      facts: { inspection: { passed: false, reason: 'Worn and washed.', evidenceRef: 'photos/bad-1.jpg' } },
    });
    expect(await ticket(ticketId)).toMatchObject({ awaiting: { step: 'inspectionReview' } });
    expect((await act(ticketId, { type: 'uphold', message: 'Merchant is right.' })).status).toBe(403);
    expect((await act(ticketId, { type: 'uphold', message: 'The photos show wear.' }, 'manager')).body.ticket).toMatchObject({ stage: 'closed', outcome: 'rejected' });

    expect(await actions(ticketId)).toEqual(['ticket.created', 'return.approved', 'return.shipped', 'return.receipt_confirmed', 'return.inspection_failed', 'return.upheld']);
    expect(await status(ticketId)).toBe('SUCCEEDED');
    expect(await transitions(ticketId)).toBe(7);
    expect(await stagesSeen(ticketId)).toContain('AwaitStep inspectionReview');
  });

  it('records an overdue refund as a breach and tells on-call; the late refund still settles it', async () => {
    const ticketId = await requestReturn('late-refund', { requestType: 'refund_only' });
    expect((await act(ticketId, { type: 'approve', message: 'Sorry about that.' })).body.ticket).toMatchObject({ stage: 'refund_due' });
    await api().advance(7 * DAY);

    expect(await ticket(ticketId)).toMatchObject({ stage: 'refund_due', breaches: [{ metric: 'refund' }], escalationTier: 1 });
    expect(toldAbout(ticketId)).toEqual([expect.objectContaining({ metric: 'refund', type: 'sla.breached' })]);
    await marketplaceEvent('late-refund', 'refund.completed', { refundId: 'rf-2', amount: 199, currency: 'CNY' });
    expect(await ticket(ticketId)).toMatchObject({ stage: 'awaiting_survey', outcome: 'refunded' });
    expect(await actions(ticketId)).toEqual(['ticket.created', 'return.approved', 'sla.breached', 'refund.completed']);
    expect(await transitions(ticketId)).toBe(7);
  });

  it('exchanges: receipt, replacement shipped and delivered, survey window ends in a close', async () => {
    const ticketId = await requestReturn('exchange-1', { requestType: 'exchange', deliveredDaysAgo: 12 });
    await act(ticketId, { type: 'approve' });
    await marketplaceEvent('exchange-1', 'return.shipped', { trackingNumber: 'SF1004' });
    await marketplaceEvent('exchange-1', 'return.received');
    expect(await ticket(ticketId)).toMatchObject({ stage: 'awaiting_replacement', awaiting: { step: 'replacement' } });
    expect((await act(ticketId, { type: 'complete_repair', trackingNumber: 'SF2001' })).status).toBe(409);
    expect((await act(ticketId, { type: 'ship_replacement', trackingNumber: 'SF2001' })).body.ticket).toMatchObject({ stage: 'awaiting_delivery' });
    await marketplaceEvent('exchange-1', 'return.item_delivered');
    expect(await ticket(ticketId)).toMatchObject({ stage: 'awaiting_survey', outcome: 'exchanged' });
    await api().advance(7 * DAY);

    expect(await ticket(ticketId)).toMatchObject({ stage: 'closed', outcome: 'exchanged' });
    expect(await actions(ticketId)).toEqual(['ticket.created', 'return.approved', 'return.shipped', 'return.received', 'return.replacement_shipped', 'return.item_delivered', 'ticket.closed']);
    expect(await status(ticketId)).toBe('SUCCEEDED');
    expect(await transitions(ticketId)).toBe(10);
  });

  it('repairs: receipt, repair done and returned, survey answered', async () => {
    const ticketId = await requestReturn('repair-1', { requestType: 'repair', deliveredDaysAgo: 200 });
    await act(ticketId, { type: 'approve' });
    await marketplaceEvent('repair-1', 'return.shipped', { trackingNumber: 'SF1005' });
    await act(ticketId, { type: 'confirm_receipt' });
    expect(await ticket(ticketId)).toMatchObject({ stage: 'awaiting_repair', awaiting: { step: 'repair' } });
    await act(ticketId, { type: 'complete_repair', trackingNumber: 'SF3001', message: 'Replaced the hinge.' });
    await marketplaceEvent('repair-1', 'return.item_delivered');
    await marketplaceEvent('repair-1', 'survey.answered', { csat: 4 });

    expect(await ticket(ticketId)).toMatchObject({ stage: 'closed', outcome: 'repaired', facts: { redelivery: { trackingNumber: 'SF3001' } } });
    expect(await actions(ticketId)).toEqual(['ticket.created', 'return.approved', 'return.shipped', 'return.receipt_confirmed', 'return.repair_completed', 'return.item_delivered', 'survey.answered']);
    expect(await transitions(ticketId)).toBe(8);
  });

  it.each`
    reference              | requestType        | deliveredDaysAgo | productCategory       | rule
    ${'late-no-reason'}    | ${'return_refund'} | ${8}             | ${'apparel'}          | ${'no_reason_window'}
    ${'fresh-food'}        | ${'refund_only'}   | ${1}             | ${'fresh_perishable'} | ${'non_returnable_category'}
    ${'late-exchange'}     | ${'exchange'}      | ${16}            | ${'apparel'}          | ${'exchange_window'}
    ${'warranty-over'}     | ${'repair'}        | ${400}           | ${'apparel'}          | ${'warranty'}
  `('rejects an ineligible request by the $rule rule, in words the buyer understands', async ({ reference, requestType, deliveredDaysAgo, productCategory, rule }) => {
    const ticketId = await requestReturn(reference, { requestType, deliveredDaysAgo, productCategory });
    const rejected = await ticket(ticketId);
    expect(rejected).toMatchObject({ stage: 'rejected', returnDecision: { outcome: 'rejected', by: 'policy', rule, reason: expect.stringMatching(/\.$/) }, awaiting: { step: 'intervention' } });
    expect(rejected.deadlines).not.toHaveProperty('merchantDecision');
    await api().advance(7 * DAY);
    expect(await ticket(ticketId)).toMatchObject({ stage: 'closed', outcome: 'rejected', breaches: [] });
    expect(await actions(ticketId)).toEqual(['ticket.created', 'return.rejection_final']);
    expect(await transitions(ticketId)).toBe(5);
  });

  it('reject → platform intervention → a manager overturns: approved by the platform, the buyer ships', async () => {
    const ticketId = await requestReturn('overturned');
    expect((await act(ticketId, { type: 'reject' })).status).toBe(400); // the reason is required
    expect((await act(ticketId, { type: 'reject', message: 'Item shows signs of use.' })).body.ticket).toMatchObject({ stage: 'rejected', returnDecision: { by: 'merchant', reason: 'Item shows signs of use.' } });
    await api().advance(3 * DAY);
    await marketplaceEvent('overturned', 'platform.intervention_requested', { reason: 'It was never worn.' });
    expect(await ticket(ticketId)).toMatchObject({ stage: 'intervention', escalationTier: 2, awaiting: { step: 'interventionReview' } });
    // In the manager tier's pool: nobody is assigned until a manager takes it.
    expect((await ticket(ticketId)).assignee).toBeUndefined();
    expect((await act(ticketId, { type: 'overturn', message: 'no' })).status).toBe(403);

    const overturned = await act(ticketId, { type: 'overturn', message: 'The buyer’s photos show tags attached.' }, 'manager');
    expect(overturned.body.ticket).toMatchObject({ stage: 'awaiting_shipment', returnDecision: { outcome: 'approved', by: 'platform' } });
    expect(await ticket(ticketId)).toMatchObject({ awaiting: { step: 'buyerShipment' } });
    expect(await actions(ticketId)).toEqual(['ticket.created', 'return.rejected', 'platform.intervention_requested', 'return.overturned']);
    expect(await transitions(ticketId)).toBe(5);
    expect(await stagesSeen(ticketId)).toEqual(['AwaitStep decision', 'AwaitStep intervention', 'AwaitStep interventionReview', 'AwaitStep buyerShipment']);
  });

  it('reject and no intervention within 7 days: the rejection is final', async () => {
    const ticketId = await requestReturn('rejected-final');
    await act(ticketId, { type: 'reject', message: 'Outside our policy.' });
    await api().advance(7 * DAY - 1);
    expect((await ticket(ticketId)).stage).toBe('rejected');
    await api().advance(1);
    expect(await ticket(ticketId)).toMatchObject({ stage: 'closed', outcome: 'rejected', breaches: [] });
    // Too late: the request is kept with its reason, and changes nothing.
    await marketplaceEvent('rejected-final', 'platform.intervention_requested', { reason: 'Please look again.' });
    expect(await ticket(ticketId)).toMatchObject({ stage: 'closed' });
    expect(await actions(ticketId)).toEqual(['ticket.created', 'return.rejected', 'return.rejection_final', 'platform.intervention_requested']);
    expect(await status(ticketId)).toBe('SUCCEEDED');
    expect(await transitions(ticketId)).toBe(6);
  });

  it('applies the 409, role and Idempotency-Key rules of complaint actions to return actions', async () => {
    const ticketId = await requestReturn('rules-1');
    const conflict = await act(ticketId, { type: 'confirm_receipt' });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ stage: 'requested', allowedActions: expect.arrayContaining(['approve', 'reject']) });
    expect((await act(ticketId, { type: 'approve' }, 'agent')).status).toBe(403);
    const version = (await ticket(ticketId)).version as number;
    expect((await act(ticketId, { type: 'approve', expectedVersion: version - 1 })).status).toBe(409);

    const merchant = await api().token('merchant');
    const once = () =>
      api().request('POST', `/tickets/${ticketId}/actions`, {
        body: JSON.stringify({ type: 'approve', expectedVersion: version }),
        headers: { authorization: `Bearer ${merchant}`, 'idempotency-key': 'approve-rules-1' },
      });
    const first = await once();
    const again = await once();
    expect(first.status).toBe(200);
    expect(again).toEqual(first);
    await api().advance(0);
    expect((await actions(ticketId)).filter((action) => action === 'return.approved')).toHaveLength(1);

    // Merchants do not act on complaints.
    const complaint = await api().sendWebhook('demo', env.secret, JSON.stringify(complaintCreated('rules-complaint', new Date((await api().nowSeconds()) * 1000).toISOString())));
    await api().advance(0);
    expect((await act(complaint.body.ticketId, { type: 'respond', message: 'hi' })).status).toBe(403);
  });
});
