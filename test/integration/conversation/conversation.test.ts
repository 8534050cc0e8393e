import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifySignature } from '@shared/webhooks/signature';
import { runCli } from '../../../cli/main';
import { startCallbackReceiver } from '../../support/callback-receiver';
import { complaintCreated } from '../../support/http-client';
import { startInProcessStack, type InProcessStack } from '../../support/in-process-stack';

const SHOP_WEBHOOK_SECRET = 'shop-webhook-secret-0001';
const SHOP_CALLBACK_SECRET = 'shop-callback-secret-0001';
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

interface MessageView {
  id: string;
  seq: number;
  kind: string;
  visibility: string;
  author: { type: string; id: string };
  text: string;
  sha256: string;
  length: number;
  erasedAt: string | null;
}

/**
 * The conversation on the whole local stack: the complaint's description and the customer's
 * replies come in by webhook, agents reply (public, called back signed) and take notes
 * (internal); the audit trail holds each text's digest, and an erased text leaves every
 * chain valid.
 */
describe('the conversation of a ticket', () => {
  let env: InProcessStack;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let ticketId: string;

  const send = async (body: Record<string, unknown>) => {
    const answer = await env.api.sendWebhook('shop', SHOP_WEBHOOK_SECRET, JSON.stringify(body));
    expect(answer.status).toBe(202);
    await env.api.advance(0);
    return answer.body.ticketId as string;
  };
  const act = async (body: Record<string, unknown>, role = 'agent', subject = 'alice') => {
    const token = await tokenFor(role, subject);
    const answer = await env.api.post(`/tickets/${ticketId}/actions`, body, token);
    await env.api.advance(0);
    return answer;
  };
  const tokenFor = async (role: string, subject: string) =>
    (await env.api.post<{ token: string }>('/_local/tokens', { role, marketplace: 'shop', subject })).body.token;
  const messagesAs = async (role: string, query = '') =>
    env.api.get<{ messages: MessageView[]; cursor?: string }>(`/tickets/${ticketId}/messages${query}`, await tokenFor(role, `${role}-1`));
  const auditEvents = async () =>
    (await env.api.get(`/audit/tickets/${ticketId}`, await tokenFor('auditor', 'audrey'))).body as { events: Record<string, any>[]; chain: { valid: boolean } };

  beforeAll(async () => {
    receiver = await startCallbackReceiver();
    const configFile = join(mkdtempSync(join(tmpdir(), 'aftercare-conversation-')), 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({ marketplaces: { shop: { webhookSecrets: [SHOP_WEBHOOK_SECRET], callbackUrl: receiver.url, callbackSecret: SHOP_CALLBACK_SECRET } } }),
    );
    env = await startInProcessStack({ configFile });
    ticketId = await send(complaintCreated('talk-1'));
    expect((await act({ type: 'respond', message: 'Sorry to hear that. 我们马上处理。' })).status).toBe(200);
    expect((await act({ type: 'note', message: 'Customer sounds upset; check the courier.' })).status).toBe(200);
    await send({ id: 'evt-talk-1-reply', type: 'complaint.customer_replied', occurredAt: new Date((await env.api.nowSeconds()) * 1000).toISOString(), data: { reference: 'talk-1', message: 'Still broken, please call 13800000000' } });
    expect((await act({ type: 'handle', message: 'A replacement is on its way.' })).status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await env?.stop();
    await receiver?.close();
  });

  it('keeps every message in order; notes are internal and shown to agents, managers and admins only', async () => {
    const all = await messagesAs('agent');
    expect(all.status).toBe(200);
    expect(all.body.messages.map((message) => [message.kind, message.visibility, message.author.type, message.text])).toEqual([
      ['complaint', 'public', 'marketplace', 'The box was crushed and the item is broken.'],
      ['reply', 'public', 'agent', 'Sorry to hear that. 我们马上处理。'],
      ['note', 'internal', 'agent', 'Customer sounds upset; check the courier.'],
      ['customer_reply', 'public', 'marketplace', 'Still broken, please call 13800000000'],
      ['reply', 'public', 'agent', 'A replacement is on its way.'],
    ]);
    // In the order recorded: each message's sequence is that of the audit event recording it.
    const seqs = all.body.messages.map((message) => message.seq);
    expect(seqs[0]).toBe(1);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(5);
    expect(all.body.messages[1]).toMatchObject({ author: { type: 'agent', id: 'alice' }, length: Buffer.byteLength('Sorry to hear that. 我们马上处理。'), sha256: sha256('Sorry to hear that. 我们马上处理。') });
    for (const role of ['manager', 'admin']) expect((await messagesAs(role)).body.messages).toHaveLength(5);
    for (const role of ['merchant', 'auditor']) {
      expect((await messagesAs(role)).body.messages.map((message) => message.kind)).toEqual(['complaint', 'reply', 'customer_reply', 'reply']);
    }
  });

  it('pages the conversation: full pages, the note filtered out inside them, each message once', async () => {
    const first = await messagesAs('merchant', '?limit=2');
    expect(first.body.messages.map((message) => message.kind)).toEqual(['complaint', 'reply']);
    const second = await messagesAs('merchant', `?limit=2&cursor=${first.body.cursor}`);
    expect(second.body.messages.map((message) => message.kind)).toEqual(['customer_reply', 'reply']);
    expect(second.body.cursor).toBeUndefined();
    for (const cursor of ['x', 'm0', 'm-1', 'm1e3', 'm99999999999']) expect((await messagesAs('agent', `?cursor=${cursor}`)).status).toBe(400);
  });

  it('audits each message by its SHA-256 and length, never its text', async () => {
    const { events, chain } = await auditEvents();
    expect(chain.valid).toBe(true);
    const recorded = events.filter((event) => event.message).map((event) => [event.action, event.message]);
    const messages = (await messagesAs('agent')).body.messages;
    expect(recorded).toEqual(
      messages.map((message) => [
        expect.any(String),
        { id: message.id, kind: message.kind, visibility: message.visibility, sha256: sha256(message.text), length: Buffer.byteLength(message.text) },
      ]),
    );
    const trail = JSON.stringify(events);
    for (const message of messages) expect(trail).not.toContain(message.text);
  });

  it('calls each public reply back to the marketplace as a signed ticket.message, and audits the delivery', async () => {
    await env.api.advance(60);
    const replies = receiver.received.filter((callback) => JSON.parse(callback.rawBody).type === 'ticket.message');
    const messages = (await messagesAs('agent')).body.messages.filter((message) => message.kind === 'reply');
    // Callbacks arrive at least once and in no promised order: each reply's own callback is checked.
    const byDelivery = (left: { deliveryId: string }, right: { deliveryId: string }) => left.deliveryId.localeCompare(right.deliveryId);
    expect(replies.map((callback) => JSON.parse(callback.rawBody) as { deliveryId: string }).sort(byDelivery)).toEqual(
      messages.map((message) => ({
        deliveryId: `${ticketId}:${message.id}:ticket.message`,
        type: 'ticket.message',
        occurredAt: expect.any(String),
        marketplace: 'shop',
        ticketId,
        reference: 'talk-1',
        orderId: 'order-talk-1',
        stage: expect.any(String),
        message: { id: message.id, at: expect.any(String), text: message.text },
      })).sort(byDelivery),
    );
    for (const callback of replies) {
      const timestamp = String(callback.headers['x-aftercare-timestamp']);
      const signature = String(callback.headers['x-aftercare-signature']);
      expect(verifySignature({ secrets: [SHOP_CALLBACK_SECRET], timestampHeader: timestamp, signatureHeader: signature, rawBody: callback.rawBody, nowSeconds: Number(timestamp) })).toEqual({ ok: true });
    }
    const delivered = (await auditEvents()).events.filter((event) => event.action === 'callback.delivered' && String(event.reason).startsWith('ticket.message'));
    expect(delivered).toHaveLength(2);
  });

  it("erases a message's text for an admin only, audited, with every chain still verifying", async () => {
    const reply = (await messagesAs('agent')).body.messages.find((message) => message.kind === 'customer_reply')!;
    const erase = async (role: string, messageId = reply.id) =>
      env.api.post(`/tickets/${ticketId}/messages/${messageId}/erase`, { reason: 'PIPL request #42' }, await tokenFor(role, `${role}-1`));
    for (const role of ['agent', 'manager', 'auditor', 'merchant']) expect((await erase(role)).status).toBe(403);
    expect((await erase('admin', `${ticketId}.m999`)).status).toBe(404);
    expect((await env.api.post(`/tickets/${ticketId}/messages/${reply.id}/erase`, {}, await tokenFor('admin', 'root'))).status).toBe(400);

    const erased = await erase('admin');
    expect(erased.status).toBe(200);
    expect(erased.body.message).toMatchObject({ id: reply.id, text: '[erased]', sha256: reply.sha256, length: reply.length, erasedBy: { type: 'admin', id: 'admin-1' } });
    expect((await erase('admin')).status).toBe(409);
    expect((await messagesAs('agent')).body.messages.find((message) => message.id === reply.id)?.text).toBe('[erased]');

    const { events, chain } = await auditEvents();
    expect(chain.valid).toBe(true);
    expect(events.at(-1)).toMatchObject({ action: 'message.erased', actor: { type: 'admin', id: 'admin-1' }, reason: `message ${reply.id}: PIPL request #42` });
    expect(JSON.stringify(events)).not.toContain('13800000000');
    expect(JSON.stringify(await env.allItems('messages'))).not.toContain('13800000000');

    const lines: string[] = [];
    const status = await runCli(
      ['audit', 'verify', '--marketplace', 'shop', '--from', '2000-01-01T00:00:00Z', '--to', '2100-01-01T00:00:00Z', '--url', env.api.baseUrl],
      { out: (line) => lines.push(line), err: (line) => lines.push(line) },
      {},
    );
    expect({ status, lines }).toEqual({ status: 0, lines: [expect.stringMatching(/^checked 1 chains \(\d+ events\): all intact$/)] });
  });
});
