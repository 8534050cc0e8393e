import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { runCli } from '../../../cli/main';

/** The test vectors the README publishes for both schemes; the CLI must reproduce them. */
const BODY =
  '{"id":"evt-1","type":"complaint.created","occurredAt":"2026-01-01T00:00:00Z","data":{"reference":"C-1","orderId":"O-1","customerRef":"cust-1","channel":"app","subject":"Broken parcel","description":"The box was crushed."}}';
const TIMESTAMP = '1767225600';
const V1 = { secret: 'aftercare-test-vector-secret', signature: 'v1=13029ab8cb1dac30b802eecdfa6acdd99df69e1245c2977cc0d53bc97cf7d94b' };
const SW = { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', id: 'msg_evt-1', signature: 'v1,agwH77GEnCKXd+OmgopCeq/cIO6rf3hwirPR3z7aLVw=' };

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runCli(['webhook', ...argv], { out: (line) => out.push(line), err: (line) => err.push(line) }, {});
  return { status, out, err: err.join('\n') };
}

describe('aftercare webhook sign and verify', () => {
  const bodyFile = join(mkdtempSync(join(tmpdir(), 'aftercare-webhook-cli-')), 'body.json');
  beforeAll(() => writeFileSync(bodyFile, BODY));

  it('signs the README test vectors of both schemes', async () => {
    expect(await cli('sign', '--secret', V1.secret, '--timestamp', TIMESTAMP, '--body-file', bodyFile)).toEqual({
      status: 0,
      out: [`x-aftercare-timestamp: ${TIMESTAMP}`, `x-aftercare-signature: ${V1.signature}`],
      err: '',
    });
    expect(await cli('sign', '--scheme', 'standard-webhooks', '--secret', SW.secret, '--timestamp', TIMESTAMP, '--id', SW.id, '--body-file', bodyFile)).toEqual({
      status: 0,
      out: [`webhook-id: ${SW.id}`, `webhook-timestamp: ${TIMESTAMP}`, `webhook-signature: ${SW.signature}`],
      err: '',
    });
  });

  it('publishes exactly these vectors in the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const value of [BODY, TIMESTAMP, V1.secret, V1.signature, SW.secret, SW.id, SW.signature]) expect(readme).toContain(value);
  });

  it('takes the webhook-id from the event id, and signs what the standardwebhooks library verifies', async () => {
    const at = String(Math.floor(Date.now() / 1000)); // the library checks the window on the system clock
    const { out } = await cli('sign', '--scheme', 'standard-webhooks', '--secret', SW.secret, '--timestamp', at, '--body', BODY);
    const headers = Object.fromEntries(out.map((line) => line.split(': ') as [string, string]));
    expect(headers['webhook-id']).toBe('msg_evt-1');
    expect(new Webhook(SW.secret).verify(BODY, headers)).toEqual(JSON.parse(BODY));
  });

  it('signs a status request over GET.<path>', async () => {
    expect((await cli('sign', '--secret', V1.secret, '--timestamp', TIMESTAMP, '--get', '/webhooks/acme/events/evt-1')).out).toEqual([
      `x-aftercare-timestamp: ${TIMESTAMP}`,
      'x-aftercare-signature: v1=e9c9b50a97e02f72ab5352667c08a5781239d11d664381f466725f26cade686b',
    ]);
  });

  it('verifies a signed request within the window and says why another fails', async () => {
    const v1Headers = ['--header', `X-Aftercare-Timestamp: ${TIMESTAMP}`, '--header', `X-Aftercare-Signature: ${V1.signature}`];
    expect(await cli('verify', '--secret', V1.secret, ...v1Headers, '--body', BODY, '--now', '1767225900')).toEqual({ status: 0, out: ['verified'], err: '' });
    expect(await cli('verify', '--secret', V1.secret, ...v1Headers, '--body', BODY, '--now', '1767225901')).toEqual({
      status: 1,
      out: ['not verified: timestamp is outside the 300 s window'],
      err: '',
    });
    expect((await cli('verify', '--secret', V1.secret, ...v1Headers, '--body', BODY.replace('C-1', 'C-2'), '--now', TIMESTAMP)).out).toEqual([
      'not verified: signature does not match',
    ]);

    const swHeaders = ['--header', `webhook-id: ${SW.id}`, '--header', `webhook-timestamp: ${TIMESTAMP}`, '--header', `webhook-signature: ${SW.signature}`];
    expect((await cli('verify', '--scheme', 'standard-webhooks', '--secret', SW.secret, ...swHeaders, '--body-file', bodyFile, '--now', TIMESTAMP)).out).toEqual(['verified']);
    expect((await cli('verify', '--secret', SW.secret, ...swHeaders, '--body-file', bodyFile, '--now', TIMESTAMP)).out).toEqual([
      'not verified: X-Aftercare-Timestamp header (unix seconds) is required',
    ]);
  });

  it('answers a usage error with the rule and exit status 2', async () => {
    const unknownScheme = await cli('sign', '--scheme', 'hmac', '--secret', V1.secret, '--body', BODY);
    expect(unknownScheme.status).toBe(2);
    expect(unknownScheme.err).toMatch(/^--scheme: one of aftercare-v1, standard-webhooks\n\nUsage:/);
    expect((await cli('sign', '--body', BODY)).err).toMatch(/^--secret: the secret is required \(--secret or AFTERCARE_WEBHOOK_SECRET\)/);
    expect((await cli('sign', '--secret', V1.secret)).err).toMatch(/^give the body: --body JSON or --body-file FILE/);
    expect((await cli('verify', '--secret', V1.secret, '--header', 'no colon', '--body', BODY)).err).toMatch(/^--header "no colon": give it as 'NAME: VALUE'/);
    expect((await cli('publish')).status).toBe(2);
    expect((await cli('sign', '--colour')).err).toMatch(/^Unknown option '--colour'/);
  });

  it('takes the secret from AFTERCARE_WEBHOOK_SECRET', async () => {
    const out: string[] = [];
    await runCli(['webhook', 'sign', '--timestamp', TIMESTAMP, '--body', BODY], { out: (line) => out.push(line), err: () => undefined }, { AFTERCARE_WEBHOOK_SECRET: V1.secret });
    expect(out[1]).toBe(`x-aftercare-signature: ${V1.signature}`);
  });
});
