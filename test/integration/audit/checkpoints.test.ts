import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CHECKPOINT_EVERY_MINUTES } from '@infra/resources';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../infra/local/aws/local-aws-environment';
import { runCli } from '../../../cli/main';
import { writeAuditHistory } from '../../support/audit-history';
import { startInProcessStack, type InProcessStack } from '../../support/in-process-stack';

/**
 * Chain-head checkpoints on the local stack (S3 served by s3rver, reached with the real S3
 * client): the scheduled run writes the head of every chain changed lately, the audit API
 * hands the newest one out, and `audit verify` finds a chain cut short after its checkpoint
 * even when the ticket's own record of its head was rewritten to match.
 */
describe('chain-head checkpoints', () => {
  let env: InProcessStack;
  let s3: S3Client;

  beforeAll(async () => {
    env = await startInProcessStack();
    s3 = new S3Client({ endpoint: env.stack.endpoints.s3, forcePathStyle: true, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const now = Date.parse((await env.api.get('/_local/clock')).body.now as string);
    await writeAuditHistory({
      client: env.documents,
      ticketsTable: 'aftercare-tickets',
      auditTable: 'aftercare-audit',
      marketplace: 'demo',
      tickets: 3,
      eventsPerTicket: 5,
      startIso: new Date(now - 5 * 60_000).toISOString(),
      prefix: 'cut',
    });
    // Two exports, so the marketplace's own chain has something to checkpoint too.
    const auditor = await env.api.token('auditor', 'demo');
    for (let n = 0; n < 2; n += 1) {
      const exported = await fetch(`${env.api.baseUrl}/audit/export?marketplace=demo&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z`, {
        headers: { authorization: `Bearer ${auditor}` },
      });
      expect(exported.status).toBe(200);
    }
    await env.api.advance(CHECKPOINT_EVERY_MINUTES * 60);
  }, 120_000);

  afterAll(async () => {
    s3?.destroy();
    await env?.stop();
  });

  async function verify(...args: string[]) {
    const lines: string[] = [];
    const status = await runCli(['audit', 'verify', ...args, '--url', env.api.baseUrl], { out: (line) => lines.push(line), err: (line) => lines.push(line) }, {});
    return { status, lines };
  }

  it('writes the head of each changed chain to the bucket on schedule', async () => {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'aftercare-checkpoints', Prefix: 'ticket/cut-' }));
    expect((listed.Contents ?? []).map((object) => object.Key).sort()).toEqual([
      'ticket/cut-0/0000000005.json',
      'ticket/cut-1/0000000005.json',
      'ticket/cut-2/0000000005.json',
    ]);
    const auditor = await env.api.token('auditor', 'demo');
    const trail = await env.api.get('/audit/tickets/cut-0', auditor);
    expect(trail.body.checkpoint).toMatchObject({ chain: 'ticket', id: 'cut-0', seq: 5, hash: trail.body.events[4].hash });
    expect(trail.body.chain).toMatchObject({ valid: true });
  });

  it('finds the last export record removed from the marketplace chain after its checkpoint', async () => {
    const auditor = await env.api.token('auditor', 'demo');
    expect((await env.api.get('/audit/marketplaces/demo/chain', auditor)).body).toMatchObject({ chain: { valid: true }, checkpoint: { chain: 'marketplace', seq: 2 } });
    await env.documents.send(new DeleteCommand({ TableName: 'aftercare-audit', Key: { pk: 'MARKETPLACE#demo', sk: 'SEQ#0000000002' } }));

    const now = Date.parse((await env.api.get('/_local/clock')).body.now as string);
    const { status, lines } = await verify('--marketplace', 'demo', '--from', new Date(now - 3_600_000).toISOString(), '--to', new Date(now).toISOString());
    expect(status).toBe(1);
    expect(lines).toContainEqual(expect.stringMatching(/^BROKEN marketplace demo: event 2: checkpoint of .+: the recorded head is event 2; the trail ends at 1$/));
  });

  it('finds a chain cut short after its checkpoint, though the ticket\'s head was rewritten to match', async () => {
    const key = (seq: number) => ({ pk: 'TICKET#cut-1', sk: `SEQ#${String(seq).padStart(10, '0')}` });
    const third = (await env.documents.send(new GetCommand({ TableName: 'aftercare-audit', Key: key(3) }))).Item!;
    for (const seq of [4, 5]) await env.documents.send(new DeleteCommand({ TableName: 'aftercare-audit', Key: key(seq) }));
    await env.documents.send(
      new UpdateCommand({
        TableName: 'aftercare-tickets',
        Key: { pk: 'TICKET#cut-1' },
        UpdateExpression: 'SET auditSeq = :seq, auditHead = :hash',
        ExpressionAttributeValues: { ':seq': 3, ':hash': third.hash },
      }),
    );

    const { status, lines } = await verify('--ticket', 'cut-1');
    expect(status).toBe(1);
    expect(lines[0]).toMatch(/^BROKEN ticket cut-1: event 4: checkpoint of .+: the recorded head is event 5; the trail ends at 3$/);
    expect(await verify('--ticket', 'cut-2')).toEqual({ status: 0, lines: ['checked 1 chains (5 events): all intact'] });
  });
});
