import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { CALLBACK_RETRY_SCHEDULE_SECONDS } from '@shared/callbacks/outbox';
import { verifySignature } from '@shared/webhooks/signature';
import { complaintCreated } from '../../support/http-client';
import { startCallbackReceiver } from '../../support/callback-receiver';
import { startInProcessStack, type InProcessStack } from '../../support/in-process-stack';

const SHOP_WEBHOOK_SECRET = 'shop-webhook-secret-0001';
const SHOP_CALLBACK_SECRET = 'shop-callback-secret-0001';
const UNSIGNED_WEBHOOK_SECRET = 'unsigned-webhook-secret-01';
const DAY = 86_400;

/**
 * Callbacks on the whole local stack: a decision writes the callback into the ticket's outbox,
 * the relay (every minute on the manual clock) queues it, the consumer posts it signed to a
 * local receiver that fails first and then succeeds, and each attempt is audited.
 */
describe('callbacks to the marketplace', () => {
  let env: InProcessStack;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;

  beforeAll(async () => {
    receiver = await startCallbackReceiver();
    const configFile = join(mkdtempSync(join(tmpdir(), 'aftercare-callbacks-')), 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        marketplaces: {
          shop: { webhookSecrets: [SHOP_WEBHOOK_SECRET], callbackUrl: receiver.url, callbackSecret: SHOP_CALLBACK_SECRET },
          unsigned: { webhookSecrets: [UNSIGNED_WEBHOOK_SECRET], callbackUrl: receiver.url },
        },
      }),
    );
    env = await startInProcessStack({ configFile });
  }, 120_000);

  afterAll(async () => {
    await env?.stop();
    await receiver?.close();
  });

  const send = async (body: Record<string, unknown>, marketplace = 'shop', secret = SHOP_WEBHOOK_SECRET) => {
    const answer = await env.api.sendWebhook(marketplace, secret, JSON.stringify(body));
    expect(answer.status).toBe(202);
    await env.api.advance(0);
    return answer.body.ticketId as string;
  };
  const nowIso = async () => new Date((await env.api.nowSeconds()) * 1000).toISOString();
  const requestReturn = async (reference: string, deliveredAt?: string) =>
    send({
      id: `evt-${reference}`,
      type: 'return.requested',
      occurredAt: await nowIso(),
      data: { reference, orderId: `o-${reference}`, customerRef: `c-${reference}`, requestType: 'refund_only', reason: 'never arrived', deliveredAt: deliveredAt ?? (await nowIso()), productCategory: 'apparel', amount: 10, currency: 'CNY' },
    });
  const ofTicket = (ticketId: string) => receiver.received.filter((callback) => JSON.parse(callback.rawBody).ticketId === ticketId);
  const bodies = (ticketId: string) => ofTicket(ticketId).map((callback) => JSON.parse(callback.rawBody) as Record<string, unknown>);
  const token = () => env.api.token('merchant', 'shop');
  const auditActions = async (ticketId: string) =>
    ((await env.api.get(`/audit/tickets/${ticketId}`, await env.api.token('auditor', 'shop'))).body.events as { action: string; reason?: string }[]).filter((event) =>
      event.action.startsWith('callback.'),
    );

  it('retries a refused callback with backoff, one delivery id on every attempt, each attempt audited', async () => {
    const ticketId = await requestReturn('cb-retry');
    receiver.answers.push(500, 503);
    expect((await env.api.post(`/tickets/${ticketId}/actions`, { type: 'approve' }, await token())).status).toBe(200);
    await env.api.advance(0);
    expect(ofTicket(ticketId)).toHaveLength(0); // in the outbox until the relay's next minute

    await env.api.advance(60); // attempt 1: refused; the next one 1 min later
    expect(ofTicket(ticketId)).toHaveLength(2); // approved and refund due, both refused (500, 503)
    await env.api.advance(59);
    expect(ofTicket(ticketId)).toHaveLength(2);
    await env.api.advance(1); // attempt 2 of both: accepted
    expect(ofTicket(ticketId)).toHaveLength(4);
    await env.api.advance(3600);
    expect(ofTicket(ticketId)).toHaveLength(4); // delivered: never sent again

    const types = bodies(ticketId).map((body) => body.type);
    expect(types.sort()).toEqual(['return.approved', 'return.approved', 'return.refund_due', 'return.refund_due']);
    const approved = ofTicket(ticketId).filter((callback) => JSON.parse(callback.rawBody).type === 'return.approved');
    expect(approved[0]!.headers['x-aftercare-delivery']).toBe(approved[1]!.headers['x-aftercare-delivery']);
    expect(approved[0]!.rawBody).toBe(approved[1]!.rawBody);
    expect(JSON.parse(approved[1]!.rawBody)).toMatchObject({
      deliveryId: approved[1]!.headers['x-aftercare-delivery'],
      marketplace: 'shop',
      reference: 'cb-retry',
      orderId: 'o-cb-retry',
      decision: { by: 'merchant' },
    });
    // Every attempt is signed with the callback secret over its own timestamp.
    for (const callback of ofTicket(ticketId)) {
      const timestamp = String(callback.headers['x-aftercare-timestamp']);
      const signature = String(callback.headers['x-aftercare-signature']);
      expect(verifySignature({ secrets: [SHOP_CALLBACK_SECRET], timestampHeader: timestamp, signatureHeader: signature, rawBody: callback.rawBody, nowSeconds: Number(timestamp) })).toEqual({ ok: true });
      expect(verifySignature({ secrets: [SHOP_WEBHOOK_SECRET], timestampHeader: timestamp, signatureHeader: signature, rawBody: callback.rawBody, nowSeconds: Number(timestamp) }).ok).toBe(false);
    }

    const attempts = await auditActions(ticketId);
    expect(attempts.map((event) => event.action)).toEqual(['callback.failed', 'callback.failed', 'callback.delivered', 'callback.delivered']);
    expect(attempts[0]!.reason).toMatch(/attempt 1: the marketplace answered 50[03]; next attempt at /);
    const ticket = (await env.api.get(`/tickets/${ticketId}`, await token())).body.ticket;
    expect(ticket.callbacks.map((callback: { attempts: number; deliveredAt?: string }) => [callback.attempts, Boolean(callback.deliveredAt)])).toEqual([
      [2, true],
      [2, true],
    ]);
  });

  it('tells the marketplace about an ineligible request, auto-approval, abandonment and the close', async () => {
    const ineligible = await requestReturn('cb-ineligible', new Date(Date.parse(await nowIso()) - 30 * DAY * 1000).toISOString());
    const silent = await send({
      id: 'evt-cb-silent',
      type: 'return.requested',
      occurredAt: await nowIso(),
      data: { reference: 'cb-silent', orderId: 'o-2', customerRef: 'c-2', requestType: 'return_refund', reason: 'too big', deliveredAt: await nowIso(), productCategory: 'apparel', amount: 10, currency: 'CNY' },
    });
    await env.api.advance(60);
    expect(bodies(ineligible)).toEqual([expect.objectContaining({ type: 'return.rejected', decision: expect.objectContaining({ by: 'policy', rule: 'no_reason_window' }) })]);

    await env.api.advance(2 * DAY); // merchant silence: auto-approved
    expect(bodies(silent)).toEqual([expect.objectContaining({ type: 'return.auto_approved', stage: 'awaiting_shipment', decision: expect.objectContaining({ by: 'deadline' }) })]);
    await env.api.advance(7 * DAY); // no shipment: abandoned; no intervention: the rejection is final
    await env.api.advance(60);
    // Abandonment and the close are one change, so their callbacks are queued together and
    // posted in parallel: no order between them is promised (see the README), and each
    // carries the same state and time.
    const [abandoned, closed] = ['return.abandoned', 'return.closed'].map((type) => bodies(silent).find((body) => body.type === type));
    expect(bodies(silent)).toHaveLength(3);
    expect(abandoned).toMatchObject({ stage: 'closed', outcome: 'abandoned', occurredAt: closed?.occurredAt });
    expect(closed).toMatchObject({ stage: 'closed', outcome: 'abandoned' });
    expect(bodies(ineligible).map((body) => body.type)).toEqual(['return.rejected', 'return.closed']);
  });

  it('tells the marketplace when a complaint is resolved, when the survey is due, and when it is closed', async () => {
    const ticketId = await send(complaintCreated('cb-complaint', await nowIso()));
    const agent = await env.api.token('agent', 'shop');
    for (const type of ['respond', 'handle', 'resolve']) await env.api.post(`/tickets/${ticketId}/actions`, { type, message: `${type} done` }, agent);
    await env.api.advance(60);
    await send({ id: 'evt-cb-complaint-survey-0', type: 'complaint.customer_confirmed', occurredAt: await nowIso(), data: { reference: 'cb-complaint' } });
    await env.api.advance(60); // the confirmation makes the survey due: the marketplace is asked to ask the buyer
    await send({ id: 'evt-cb-complaint-survey', type: 'survey.answered', occurredAt: await nowIso(), data: { reference: 'cb-complaint', csat: 5 } });
    await env.api.advance(60);
    // The agents' three replies are called back too (ticket.message), each with its text.
    expect(bodies(ticketId).filter((body) => body.type !== 'ticket.message').map((body) => [body.type, body.stage])).toEqual([
      ['complaint.resolved', 'resolved'],
      ['survey.requested', 'awaiting_survey'],
      ['complaint.closed', 'closed'],
    ]);
    expect(
      bodies(ticketId)
        .filter((body) => body.type === 'ticket.message')
        .map((body) => (body.message as { text: string }).text)
        .sort(),
    ).toEqual(['handle done', 'resolve done', 'respond done']);
    expect(bodies(ticketId).find((body) => body.type === 'survey.requested')).toMatchObject({ reference: 'cb-complaint', ticketId, orderId: 'order-cb-complaint' });
  });

  it('gives a callback up after nine refused attempts over some 27 hours, and keeps it on the ticket', async () => {
    const ticketId = await requestReturn('cb-refused');
    receiver.refusing.add(ticketId);
    await env.api.post(`/tickets/${ticketId}/actions`, { type: 'reject', message: 'Not our product.' }, await token());
    await env.api.advance(60);
    expect(ofTicket(ticketId)).toHaveLength(1);
    for (const [index, pause] of CALLBACK_RETRY_SCHEDULE_SECONDS.entries()) {
      await env.api.advance(pause);
      expect(ofTicket(ticketId)).toHaveLength(index + 2);
    }
    await env.api.advance(DAY);
    expect(ofTicket(ticketId).filter((callback) => JSON.parse(callback.rawBody).type === 'return.rejected')).toHaveLength(9);

    const attempts = await auditActions(ticketId);
    const rejected = attempts.filter((event) => event.reason?.startsWith('return.rejected'));
    expect(rejected.map((event) => event.action)).toEqual([...Array(8).fill('callback.failed'), 'callback.abandoned']);
    expect(rejected.at(-1)!.reason).toMatch(/attempt 9: the marketplace answered 503; no attempts left$/);
    const ticket = (await env.api.get(`/tickets/${ticketId}`, await token())).body.ticket;
    expect(ticket.callbacks[0]).toMatchObject({ attempts: 9, gaveUpAt: expect.any(String), lastError: 'the marketplace answered 503' });
    expect(ticket.callbacks[0].nextAttemptAt).toBeUndefined();
  });

  it('calls back a rejected event, whether or not it has a ticket, retried like every callback', async () => {
    const ofEvent = (eventId: string) => receiver.received.filter((callback) => JSON.parse(callback.rawBody).eventId === eventId);
    const inboxCallback = async (eventId: string) =>
      (await env.documents.send(new GetCommand({ TableName: 'aftercare-inbox', Key: { pk: `EVENT#shop#${eventId}` } }))).Item?.callback as Record<string, unknown>;
    await send(complaintCreated('cb-twice', await nowIso()));
    receiver.answers.push(500);
    const second = await env.api.sendWebhook('shop', SHOP_WEBHOOK_SECRET, JSON.stringify({ ...complaintCreated('cb-twice', await nowIso()), id: 'evt-cb-twice-again' }));
    expect(second.status).toBe(202);
    await env.api.advance(0);
    const shipped = await env.api.sendWebhook(
      'shop',
      SHOP_WEBHOOK_SECRET,
      JSON.stringify({ id: 'evt-cb-nobody-shipped', type: 'return.shipped', occurredAt: await nowIso(), data: { reference: 'cb-nobody', trackingNumber: 'SF1' } }),
    );
    expect(shipped.status).toBe(202);

    await env.api.advance(60); // first attempt for the second complaint.created: refused
    expect(ofEvent('evt-cb-twice-again')).toHaveLength(1);
    expect(await inboxCallback('evt-cb-twice-again')).toMatchObject({ attempts: 1, lastError: 'the marketplace answered 500' });
    await env.api.advance(60); // the retry, a minute later: accepted
    const twice = ofEvent('evt-cb-twice-again');
    expect(twice).toHaveLength(2);
    expect(twice[1]!.rawBody).toBe(twice[0]!.rawBody);
    const body = JSON.parse(twice[1]!.rawBody) as Record<string, unknown>;
    expect(body).toEqual({
      deliveryId: 'shop:evt-cb-twice-again:event.rejected',
      type: 'event.rejected',
      occurredAt: expect.any(String),
      marketplace: 'shop',
      eventId: 'evt-cb-twice-again',
      eventType: 'complaint.created',
      reference: 'cb-twice',
      reason: expect.stringContaining('cb-twice'),
    });
    expect(twice[1]!.headers['x-aftercare-delivery']).toBe(body.deliveryId);
    const timestamp = String(twice[1]!.headers['x-aftercare-timestamp']);
    expect(verifySignature({ secrets: [SHOP_CALLBACK_SECRET], timestampHeader: timestamp, signatureHeader: String(twice[1]!.headers['x-aftercare-signature']), rawBody: twice[1]!.rawBody, nowSeconds: Number(timestamp) })).toEqual({ ok: true });
    expect(await inboxCallback('evt-cb-twice-again')).toMatchObject({ attempts: 2, deliveredAt: expect.any(String) });
    await env.api.advance(3600);
    expect(ofEvent('evt-cb-twice-again')).toHaveLength(2); // delivered: never sent again

    // An event for a reference that never opens: held for 24 h, then rejected and called back.
    expect(ofEvent('evt-cb-nobody-shipped')).toHaveLength(0);
    await env.api.advance(DAY);
    await env.api.advance(60);
    expect(ofEvent('evt-cb-nobody-shipped').map((callback) => JSON.parse(callback.rawBody))).toEqual([
      expect.objectContaining({ type: 'event.rejected', eventType: 'return.shipped', reference: 'cb-nobody', reason: expect.stringMatching(/^held for more than 24 h: /) }),
    ]);
  });

  it('never posts a callback unsigned: a marketplace without a callbackSecret gets nothing, and the attempt is audited as failed', async () => {
    const ticketId = await send(
      {
        id: 'evt-cb-unsigned',
        type: 'return.requested',
        occurredAt: await nowIso(),
        data: { reference: 'cb-unsigned', orderId: 'o-u', customerRef: 'c-u', requestType: 'refund_only', reason: 'never arrived', deliveredAt: await nowIso(), productCategory: 'apparel', amount: 10, currency: 'CNY' },
      },
      'unsigned',
      UNSIGNED_WEBHOOK_SECRET,
    );
    const merchant = await env.api.token('merchant', 'unsigned');
    expect((await env.api.post(`/tickets/${ticketId}/actions`, { type: 'approve' }, merchant)).status).toBe(200);
    await env.api.advance(60);

    expect(ofTicket(ticketId)).toHaveLength(0);
    const events = (await env.api.get(`/audit/tickets/${ticketId}`, await env.api.token('auditor', 'unsigned'))).body.events as { action: string; reason?: string }[];
    const attempts = events.filter((event) => event.action.startsWith('callback.'));
    expect(attempts.map((event) => event.action)).toEqual(['callback.failed', 'callback.failed']);
    expect(attempts[0]!.reason).toMatch(/attempt 1: the marketplace has no callbackSecret configured; next attempt at /);
  });
});
