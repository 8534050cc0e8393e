import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { complaintCreated } from '../../support/http-client';
import { startCallbackReceiver, type ReceivedCallback } from '../../support/callback-receiver';
import { startInProcessStack, type InProcessStack } from '../../support/in-process-stack';

// Standard Webhooks secrets: `whsec_` and the base64 of the key.
const WEBHOOK_SECRET = 'whsec_' + Buffer.from('sw-shop webhook key, 32 bytes!!').toString('base64');
const CALLBACK_SECRET = 'whsec_' + Buffer.from('sw-shop callback key, 32 bytes!').toString('base64');

/**
 * A marketplace that chose `"signatureScheme": "standard-webhooks"`, on the whole local
 * stack: its events are signed by the `standardwebhooks` library's own signer, and the
 * callbacks it gets pass that library's own verification.
 */
describe('Standard Webhooks, end to end', () => {
  let env: InProcessStack;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;

  beforeAll(async () => {
    receiver = await startCallbackReceiver();
    const configFile = join(mkdtempSync(join(tmpdir(), 'aftercare-sw-')), 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        marketplaces: {
          'sw-shop': { signatureScheme: 'standard-webhooks', webhookSecrets: [WEBHOOK_SECRET], callbackUrl: receiver.url, callbackSecret: CALLBACK_SECRET },
        },
      }),
    );
    env = await startInProcessStack({ configFile });
  }, 120_000);

  afterAll(async () => {
    await env?.stop();
    await receiver?.close();
  });

  /** Headers as the library signs them, timestamped on the stack's clock. */
  const signed = async (id: string, content: string, secret = WEBHOOK_SECRET) => {
    const at = await env.api.nowSeconds();
    return { 'webhook-id': id, 'webhook-timestamp': String(at), 'webhook-signature': new Webhook(secret).sign(id, new Date(at * 1000), content) };
  };
  const send = async (body: Record<string, unknown>, secret = WEBHOOK_SECRET) => {
    const raw = JSON.stringify(body);
    return env.api.request('POST', '/webhooks/sw-shop', { body: raw, headers: await signed(`msg_${String(body.id)}`, raw, secret) });
  };
  const nowIso = async () => new Date((await env.api.nowSeconds()) * 1000).toISOString();

  /**
   * The library checks the timestamp against the system clock; the stack's clock is the
   * manual one, so the library verifies as of the callback's own second.
   */
  const libraryVerifies = (callback: ReceivedCallback, secret: string) => {
    const headers = Object.fromEntries(Object.entries(callback.headers).map(([name, value]) => [name, String(value)]));
    jest.useFakeTimers({ now: Number(headers['webhook-timestamp']) * 1000 });
    try {
      return new Webhook(secret).verify(callback.rawBody, headers);
    } finally {
      jest.useRealTimers();
    }
  };

  it('takes events the library signed, answers status requests signed the same way, and signs callbacks the library verifies', async () => {
    const answer = await send(complaintCreated('sw-1', await nowIso()));
    expect(answer.status).toBe(202);
    const ticketId = answer.body.ticketId as string;
    await env.api.advance(0);

    const path = '/webhooks/sw-shop/events/evt-sw-1';
    const status = await env.api.request('GET', path, { headers: await signed('status-1', `GET.${path}`) });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ eventId: 'evt-sw-1', status: 'applied', ticketId });

    const agent = await env.api.token('agent', 'sw-shop');
    for (const type of ['respond', 'handle', 'resolve']) {
      expect((await env.api.post(`/tickets/${ticketId}/actions`, { type, message: `${type} done` }, agent)).status).toBe(200);
    }
    await env.api.advance(60);

    // The resolution, and each of the three public replies (ticket.message), in no set order.
    const bodies = receiver.received.map((callback) => JSON.parse(callback.rawBody) as Record<string, unknown>);
    expect(bodies.map((body) => body.type).sort()).toEqual(['complaint.resolved', 'ticket.message', 'ticket.message', 'ticket.message']);
    expect(bodies.find((body) => body.type === 'complaint.resolved')).toMatchObject({ ticketId, reference: 'sw-1' });
    receiver.received.forEach((callback, index) => {
      const body = bodies[index]!;
      expect(callback.headers['webhook-id']).toBe(body.deliveryId);
      expect(callback.headers['x-aftercare-delivery']).toBe(body.deliveryId);
      expect(callback.headers['x-aftercare-signature']).toBeUndefined();
      expect(libraryVerifies(callback, CALLBACK_SECRET)).toEqual(body);
      expect(() => libraryVerifies(callback, WEBHOOK_SECRET)).toThrow('No matching signature found');
    });
  });

  it('refuses an event signed with another key, or with Aftercare’s own scheme, and stores nothing', async () => {
    const other = 'whsec_' + Buffer.from('not the key of sw-shop, 32 bytes').toString('base64');
    const wrongKey = await send(complaintCreated('sw-2', await nowIso()), other);
    expect(wrongKey).toEqual({ status: 401, body: expect.objectContaining({ message: 'signature does not match' }) });

    const raw = JSON.stringify(complaintCreated('sw-3', await nowIso()));
    const ownScheme = await env.api.sendWebhook('sw-shop', WEBHOOK_SECRET, raw);
    expect(ownScheme).toEqual({ status: 401, body: expect.objectContaining({ message: 'webhook-id header is required' }) });

    const stored = (await env.allItems('inbox')).map((item) => item.eventId);
    expect(stored).not.toContain('evt-sw-2');
    expect(stored).not.toContain('evt-sw-3');
  });
});
