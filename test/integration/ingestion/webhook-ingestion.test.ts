import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { signPayload } from '@shared/webhooks/signature';
import { ticketIdFor } from '@shared/tickets/ticket';
import { returnCaseEvents } from '../../support/events';
import { startInProcessStack, type InProcessStack } from '../../support/in-process-stack';

const ACME_CURRENT = 'acme-current-secret-0001';
const ACME_PREVIOUS = 'acme-previous-secret-0001';

describe('signed webhook ingestion on the local stack', () => {
  let env: InProcessStack;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aftercare-config-'));
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ marketplaces: { acme: { webhookSecrets: [ACME_CURRENT, ACME_PREVIOUS] } } }));
    env = await startInProcessStack({ configFile });
  }, 120_000);

  afterAll(async () => {
    await env?.stop();
  });

  const bodyOf = (reference: string, index = 0) => JSON.stringify(returnCaseEvents(reference)[index]);

  describe('signatures', () => {
    it('accepts a body signed with the marketplace secret', async () => {
      const answer = await env.api.sendWebhook('acme', ACME_CURRENT, bodyOf('sig-ok'));
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual({ eventId: 'sig-ok-requested', ticketId: ticketIdFor('acme', 'sig-ok'), duplicate: false });
    });

    it('accepts the previous secret during rotation', async () => {
      expect((await env.api.sendWebhook('acme', ACME_PREVIOUS, bodyOf('sig-rotated'))).status).toBe(202);
    });

    it('refuses a wrong secret, a tampered body, a stale or future timestamp, and stores nothing', async () => {
      const before = await env.allItems('inbox');
      const now = await env.api.nowSeconds();
      const body = bodyOf('sig-bad');
      const send = (headers: Record<string, string>, rawBody = body) =>
        env.api.request('POST', '/webhooks/acme', { body: rawBody, headers });
      const signed = (ts: number, secret = ACME_CURRENT, signedBody = body) => ({
        'x-aftercare-timestamp': String(ts),
        'x-aftercare-signature': signPayload(secret, String(ts), signedBody),
      });

      expect((await send(signed(now, 'not-the-acme-secret'))).status).toBe(401);
      expect((await send(signed(now), body.replace('sig-bad', 'sig-evil'))).status).toBe(401);
      expect((await send(signed(now - 301))).status).toBe(401);
      expect((await send(signed(now + 301))).status).toBe(401);
      expect((await send({})).status).toBe(401);
      expect((await env.api.sendWebhook('nobody', ACME_CURRENT, body)).status).toBe(404);
      expect(await env.allItems('inbox')).toHaveLength(before.length);
    });
  });

  it('applies each event once however often it is delivered', async () => {
    const events = returnCaseEvents('redeliver-10');
    for (const event of events) {
      for (let delivery = 1; delivery <= 10; delivery += 1) {
        const answer = await env.api.sendWebhook('acme', ACME_CURRENT, JSON.stringify(event));
        expect(answer.status).toBe(202);
        expect(answer.body.duplicate).toBe(delivery > 1);
      }
    }
    await env.api.advance(0);

    const ticketId = ticketIdFor('acme', 'redeliver-10');
    const tickets = (await env.allItems('tickets')).filter((item) => item.id === ticketId);
    expect(tickets).toHaveLength(1);
    const audit = await env.api.get(`/audit/tickets/${ticketId}`, await env.api.token('auditor', 'acme'));
    expect(audit.body.chain).toMatchObject({ valid: true });
    // Return tickets run their workflow, whose task-token bookkeeping is audited too.
    const actions = audit.body.events.map((event: { action: string }) => event.action).filter((action: string) => action !== 'workflow.awaiting_agent');
    expect(actions).toEqual([
      'ticket.created',
      'return.shipped',
      'return.received',
      'return.inspected',
      'refund.completed',
      'survey.answered',
    ]);
  });

  it('accepts fields it does not know at every level, keeps the body as received and applies only what it knows', async () => {
    const [requested, shipped] = returnCaseEvents('grown');
    const grown = (event: object, extra: object) => JSON.stringify({ ...event, apiVersion: '2027-01', ...extra });
    const requestBody = grown(
      { ...requested, data: { ...requested!.data, sellerId: 'S-9', items: [{ sku: 'A', qty: 2, attrs: { size: 'M' } }] } },
      { trace: { span: 'a1' } },
    );
    const shippedBody = grown({ ...shipped, data: { ...shipped!.data, courier: { name: 'SF', eta: null } } }, {});
    expect((await env.api.sendWebhook('acme', ACME_CURRENT, requestBody)).status).toBe(202);
    expect((await env.api.sendWebhook('acme', ACME_CURRENT, shippedBody)).status).toBe(202);
    await env.api.advance(0);

    const inbox = (await env.allItems('inbox'))
      .filter((item) => String(item.eventId).startsWith('grown-'))
      .sort((a, b) => String(a.eventId).localeCompare(String(b.eventId)));
    expect(inbox.map((item) => [item.eventId, item.status, item.body])).toEqual([
      ['grown-requested', 'applied', requestBody],
      ['grown-shipped', 'applied', shippedBody],
    ]);

    const ticket = (await env.api.get(`/tickets/${ticketIdFor('acme', 'grown')}`, await env.api.token('merchant', 'acme'))).body.ticket;
    expect(ticket.returnRequest).toEqual({ requestType: 'return_refund', reason: 'does not fit', deliveredAt: '2026-03-01T00:00:00.000Z', productCategory: 'apparel', amount: 199, currency: 'CNY' });
    expect(ticket.facts.shipment).toEqual({ trackingNumber: 'SF1234567', shippedAt: '2026-03-02T08:00:00.000Z' });
    expect(JSON.stringify(ticket)).not.toMatch(/sellerId|courier|apiVersion|trace/);
  });

  it('still answers 400 naming a known field of the wrong type or a missing one, next to unknown fields, and stores nothing', async () => {
    const [requested] = returnCaseEvents('grown-bad');
    const before = (await env.allItems('inbox')).length;
    const wrongType = await env.api.sendWebhook('acme', ACME_CURRENT, JSON.stringify({ ...requested, data: { ...requested!.data, amount: '199', sellerId: 'S-9' } }));
    expect([wrongType.status, wrongType.body.message]).toEqual([400, 'invalid body: data.amount: Invalid input: expected number, received string']);
    const { currency: _currency, ...noCurrency } = requested!.data as Record<string, unknown>;
    const missing = await env.api.sendWebhook('acme', ACME_CURRENT, JSON.stringify({ ...requested, extra: 1, data: noCurrency }));
    expect([missing.status, missing.body.message]).toEqual([400, 'invalid body: data.currency: Invalid input: expected string, received undefined']);
    expect(await env.allItems('inbox')).toHaveLength(before);
  });

  it('ends a shuffled stream in the same ticket as the ordered one, holding early events', async () => {
    const ordered = returnCaseEvents('stream-ordered', 'ordered');
    const shuffled = [5, 2, 4, 3, 1, 0].map((index) => returnCaseEvents('stream-shuffled', 'shuffled')[index]!);
    for (const event of ordered) await env.api.sendWebhook('acme', ACME_CURRENT, JSON.stringify(event));
    await env.api.advance(0);
    for (const event of shuffled) {
      await env.api.sendWebhook('acme', ACME_CURRENT, JSON.stringify(event));
      await env.api.advance(0); // each arrives on its own, before the ones it depends on
    }

    const reader = await env.api.token('agent', 'acme');
    const a = (await env.api.get(`/tickets/${ticketIdFor('acme', 'stream-ordered')}`, reader)).body.ticket;
    const b = (await env.api.get(`/tickets/${ticketIdFor('acme', 'stream-shuffled')}`, reader)).body.ticket;
    const comparable = ({ id: _id, externalRef: _ref, orderId: _order, customerRef: _cust, createdAt: _c, updatedAt: _u, version: _v, deadlines: _d, ...rest }: Record<string, unknown>) =>
      JSON.parse(JSON.stringify(rest).replaceAll('stream-ordered', 'X').replaceAll('stream-shuffled', 'X'));
    expect(comparable(b)).toEqual(comparable(a));
    expect(b.facts).toMatchObject({ receivedAt: '2026-03-04T09:00:00.000Z', inspection: { passed: true }, survey: { csat: 4 } });
    expect((await env.allItems('inbox')).filter((item) => String(item.eventId).startsWith('shuffled-')).map((item) => item.status)).toEqual(
      Array(6).fill('applied'),
    );
  });

  /** `GET /webhooks/acme/events/{id}`, signed over `<timestamp>.GET.<path>` as a marketplace would. */
  const eventStatus = async (eventId: string, secret = ACME_CURRENT) => {
    const path = `/webhooks/acme/events/${encodeURIComponent(eventId)}`;
    const ts = String(await env.api.nowSeconds());
    return env.api.request('GET', path, { headers: { 'x-aftercare-timestamp': ts, 'x-aftercare-signature': signPayload(secret, ts, `GET.${path}`) } });
  };

  it('rejects an event held past the limit, with the reason it was held, and tells each state', async () => {
    const orphan = returnCaseEvents('never-opened')[1]!;
    await env.api.sendWebhook('acme', ACME_CURRENT, JSON.stringify(orphan));
    await env.api.advance(0);
    const held = (await env.allItems('inbox')).find((item) => item.eventId === orphan.id);
    expect(held).toMatchObject({ status: 'held', reason: 'waiting for the event that opens case never-opened' });
    const heldStatus = await eventStatus(orphan.id);
    expect(heldStatus).toEqual({
      status: 200,
      body: {
        eventId: orphan.id,
        type: 'return.shipped',
        reference: 'never-opened',
        receivedAt: held!.receivedAt,
        status: 'held',
        waitingFor: 'waiting for the event that opens case never-opened',
        heldUntil: new Date(Date.parse(String(held!.receivedAt)) + 24 * 3600 * 1000).toISOString(),
      },
    });

    await env.api.advance(24 * 3600 + 120);
    const rejected = (await env.allItems('inbox')).find((item) => item.eventId === orphan.id);
    expect(rejected).toMatchObject({ status: 'rejected', reason: expect.stringContaining('held for more than 24 h') });
    expect((await eventStatus(orphan.id)).body).toMatchObject({
      status: 'rejected',
      reason: 'held for more than 24 h: waiting for the event that opens case never-opened',
      rejectedAt: rejected!.rejectedAt,
    });
  });

  it('tells an applied event with its ticket, and a second opening event for an open reference as rejected', async () => {
    const [requested] = returnCaseEvents('status-open');
    // One after the other: two opening events queued together may be applied in either order.
    await env.api.sendWebhook('acme', ACME_CURRENT, JSON.stringify(requested));
    await env.api.advance(0);
    await env.api.sendWebhook('acme', ACME_CURRENT, JSON.stringify({ ...requested, id: 'status-open-again' }));
    await env.api.advance(0);
    const ticketId = ticketIdFor('acme', 'status-open');

    expect((await eventStatus(requested!.id)).body).toMatchObject({ status: 'applied', ticketId, type: 'return.requested', reference: 'status-open' });
    expect((await eventStatus('status-open-again')).body).toMatchObject({
      status: 'rejected',
      reason: `ticket ${ticketId} for reference status-open is already open`,
    });
    expect((await eventStatus('never-sent')).status).toBe(404);
    expect((await eventStatus(requested!.id, 'not-the-acme-secret-0001')).status).toBe(401);
  });

  it('tells an admin the status with a bearer token instead of a signature; nobody else', async () => {
    const [requested] = returnCaseEvents('status-admin');
    await env.api.sendWebhook('acme', ACME_CURRENT, JSON.stringify(requested));
    await env.api.advance(0);
    const path = `/webhooks/acme/events/${requested!.id}`;
    const admin = await env.api.get(path, await env.api.token('admin', 'acme'));
    expect(admin).toEqual({ status: 200, body: expect.objectContaining({ eventId: requested!.id, status: 'applied', ticketId: ticketIdFor('acme', 'status-admin') }) });
    expect((await env.api.get(path, await env.api.token('admin', '*'))).status).toBe(200);
    expect((await env.api.get(path, await env.api.token('agent', 'acme'))).status).toBe(403);
    expect((await env.api.get(path, await env.api.token('admin', 'demo'))).status).toBe(403);
    expect((await env.api.get(path, 'not-a-token')).status).toBe(401);
  });

  it('queues again an event whose queuing was lost', async () => {
    // As if the webhook handler stored the event and then crashed before queuing it.
    const event = returnCaseEvents('lost-queue')[0]!;
    const now = new Date((await env.api.nowSeconds()) * 1000).toISOString();
    await env.documents.send(
      new PutCommand({
        TableName: 'aftercare-inbox',
        Item: {
          pk: `EVENT#acme#${event.id}`,
          pendingShard: 'PENDING',
          marketplace: 'acme',
          eventId: event.id,
          ticketId: ticketIdFor('acme', 'lost-queue'),
          event,
          receivedAt: now,
          status: 'received',
        },
      }),
    );
    await env.api.advance(4 * 60);
    expect((await env.allItems('tickets')).some((item) => item.id === ticketIdFor('acme', 'lost-queue'))).toBe(false);

    await env.api.advance(2 * 60);
    expect((await env.allItems('tickets')).some((item) => item.id === ticketIdFor('acme', 'lost-queue'))).toBe(true);
  });

  it('serves the contract generated from the schemas', async () => {
    const answer = await env.api.get('/openapi.json');
    expect(answer.status).toBe(200);
    const schema = answer.body.paths['/webhooks/{marketplace}'].post.requestBody.content['application/json'].schema;
    const types = schema.oneOf.map((variant: { properties: { type: { const: string } } }) => variant.properties.type.const);
    expect(types).toEqual(
      expect.arrayContaining(['complaint.created', 'return.requested', 'refund.completed', 'platform.intervention_requested']),
    );
  });

  it('renders the contract at /docs with Swagger UI, every file served by the stack itself', async () => {
    const get = (path: string) => fetch(`${env.api.baseUrl}${path}`);
    const page = await get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect([...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1])).toEqual([
      'docs/swagger-ui.css',
      'docs/swagger-ui-bundle.js',
      'docs/start.js',
    ]);

    const bundle = await get('/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await bundle.text()).toContain('SwaggerUIBundle');
    const css = await get('/docs/swagger-ui.css');
    expect([css.status, css.headers.get('content-type')]).toEqual([200, 'text/css; charset=utf-8']);
    expect(await (await get('/docs/start.js')).text()).toContain("new URL('openapi.json', window.location.href)");
    expect((await get('/docs/package.json')).status).toBe(404);
  });
});
