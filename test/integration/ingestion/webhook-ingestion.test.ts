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

  it('rejects an event held past the limit, with the reason it was held', async () => {
    const orphan = returnCaseEvents('never-opened')[1]!;
    await env.api.sendWebhook('acme', ACME_CURRENT, JSON.stringify(orphan));
    await env.api.advance(0);
    const held = (await env.allItems('inbox')).find((item) => item.eventId === orphan.id);
    expect(held).toMatchObject({ status: 'held', reason: 'waiting for the event that opens case never-opened' });

    await env.api.advance(24 * 3600 + 120);
    const rejected = (await env.allItems('inbox')).find((item) => item.eventId === orphan.id);
    expect(rejected).toMatchObject({ status: 'rejected', reason: expect.stringContaining('held for more than 24 h') });
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
