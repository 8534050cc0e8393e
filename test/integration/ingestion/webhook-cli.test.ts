import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../cli/main';
import { complaintCreated } from '../../support/http-client';
import { startCallbackReceiver } from '../../support/callback-receiver';
import { startInProcessStack, type InProcessStack } from '../../support/in-process-stack';

const key = (text: string) => 'whsec_' + Buffer.from(text.padEnd(32, '.')).toString('base64');
const MARKETPLACES = {
  'cli-v1': { scheme: 'aftercare-v1', webhookSecret: 'cli-v1-webhook-secret-0001', callbackSecret: 'cli-v1-callback-secret-001' },
  'cli-sw': { scheme: 'standard-webhooks', webhookSecret: key('cli-sw webhook'), callbackSecret: key('cli-sw callback') },
} as const;

/**
 * What an integrator does with `npx aftercare webhook`, against the whole local stack, in
 * both schemes: send an event, ask its status, and verify the callback it leads to.
 */
describe('aftercare webhook send, status and verify', () => {
  let env: InProcessStack;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;

  beforeAll(async () => {
    receiver = await startCallbackReceiver();
    const configFile = join(mkdtempSync(join(tmpdir(), 'aftercare-webhook-cli-')), 'config.json');
    const marketplaces = Object.fromEntries(
      Object.entries(MARKETPLACES).map(([id, m]) => [id, { signatureScheme: m.scheme, webhookSecrets: [m.webhookSecret], callbackUrl: receiver.url, callbackSecret: m.callbackSecret }]),
    );
    writeFileSync(configFile, JSON.stringify({ marketplaces }));
    env = await startInProcessStack({ configFile });
  }, 120_000);

  afterAll(async () => {
    await env?.stop();
    await receiver?.close();
  });

  async function cli(...argv: string[]) {
    const out: string[] = [];
    const status = await runCli(['webhook', ...argv, ...(argv[0] === 'verify' ? [] : ['--url', env.api.baseUrl])], { out: (line) => out.push(line), err: (line) => out.push(line) }, {});
    return { status, out };
  }

  it.each(Object.entries(MARKETPLACES))('%s: sends an event, tells its status, and verifies the callback', async (marketplace, m) => {
    const signing = ['--scheme', m.scheme, '--secret', m.webhookSecret];
    const body = JSON.stringify(complaintCreated(`${marketplace}-1`, new Date((await env.api.nowSeconds()) * 1000).toISOString()));
    const sent = await cli('send', '--marketplace', marketplace, ...signing, '--body', body);
    expect(sent.status).toBe(0);
    expect(sent.out[0]).toBe('HTTP 202');
    const { ticketId } = JSON.parse(sent.out[1]!) as { ticketId: string };
    await env.api.advance(0);

    const status = await cli('status', '--marketplace', marketplace, ...signing, '--event', `evt-${marketplace}-1`);
    expect(status.status).toBe(0);
    expect(status.out[0]).toBe('HTTP 200');
    expect(JSON.parse(status.out[1]!)).toMatchObject({ eventId: `evt-${marketplace}-1`, status: 'applied', ticketId });
    expect(await cli('status', '--marketplace', marketplace, ...signing, '--event', 'never-sent')).toMatchObject({ status: 1, out: ['HTTP 404', expect.any(String)] });

    const agent = await env.api.token('agent', marketplace);
    for (const type of ['respond', 'handle', 'resolve']) await env.api.post(`/tickets/${ticketId}/actions`, { type, message: `${type} done` }, agent);
    await env.api.advance(60);
    const callback = receiver.received.find((candidate) => JSON.parse(candidate.rawBody).ticketId === ticketId)!;
    const headers = Object.entries(callback.headers)
      .filter(([name]) => name.startsWith('webhook-') || name.startsWith('x-aftercare-'))
      .flatMap(([name, value]) => ['--header', `${name}: ${String(value)}`]);
    const now = String(await env.api.nowSeconds());
    expect(await cli('verify', '--scheme', m.scheme, '--secret', m.callbackSecret, ...headers, '--body', callback.rawBody, '--now', now)).toEqual({ status: 0, out: ['verified'] });
    expect(await cli('verify', '--scheme', m.scheme, '--secret', m.webhookSecret, ...headers, '--body', callback.rawBody, '--now', now)).toEqual({
      status: 1,
      out: ['not verified: signature does not match'],
    });
  });

  it('reports a refused event with its answer and exit status 1', async () => {
    const body = JSON.stringify(complaintCreated('cli-refused'));
    expect(await cli('send', '--marketplace', 'cli-v1', '--secret', 'not-the-secret-of-cli-v1', '--body', body)).toEqual({
      status: 1,
      out: ['HTTP 401', expect.stringContaining('signature does not match')],
    });
  });
});
