import { spawn } from 'node:child_process';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { runCli } from '../../../cli/main';
import { writeAuditHistory } from '../../support/audit-history';
import { startInProcessStack, type InProcessStack } from '../../support/in-process-stack';

const AUDIT_TABLE = 'aftercare-audit';
const RANGE = ['--from', '2026-03-01T00:00:00Z', '--to', '2026-03-02T00:00:00Z'];

/**
 * `aftercare audit verify` against the local stack, after editing DynamoDB Local's audit items
 * directly, as someone with table access could: a changed event, a deleted one, two swapped,
 * and a cut-off tail are each reported, and the exit status says so.
 */
describe('aftercare audit verify', () => {
  let env: InProcessStack;

  beforeAll(async () => {
    env = await startInProcessStack();
    await writeAuditHistory({
      client: env.documents,
      ticketsTable: 'aftercare-tickets',
      auditTable: AUDIT_TABLE,
      marketplace: 'demo',
      tickets: 6,
      eventsPerTicket: 6,
      startIso: '2026-03-01T00:00:00.000Z',
      prefix: 'chain',
    });
  }, 120_000);

  afterAll(async () => {
    await env?.stop();
  });

  const key = (ticketId: string, seq: number) => ({ pk: `TICKET#${ticketId}`, sk: `SEQ#${String(seq).padStart(10, '0')}` });
  const item = async (ticketId: string, seq: number) =>
    (await env.documents.send(new GetCommand({ TableName: AUDIT_TABLE, Key: key(ticketId, seq) }))).Item!;
  const put = (record: Record<string, unknown>) => env.documents.send(new PutCommand({ TableName: AUDIT_TABLE, Item: record }));
  const remove = (ticketId: string, seq: number) => env.documents.send(new DeleteCommand({ TableName: AUDIT_TABLE, Key: key(ticketId, seq) }));

  async function verify(...args: string[]) {
    const lines: string[] = [];
    const status = await runCli(['audit', 'verify', ...args, '--url', env.api.baseUrl], { out: (line) => lines.push(line), err: (line) => lines.push(line) }, {});
    return { status, lines };
  }

  it('passes an untouched marketplace range', async () => {
    expect(await verify('--marketplace', 'demo', ...RANGE)).toEqual({ status: 0, lines: ['checked 6 chains (36 events): all intact'] });
  });

  it('finds a tampered, a deleted, a reordered event and a cut-off tail, and exits 1', async () => {
    await put({ ...(await item('chain-0', 3)), reason: 'nothing happened here' });
    await remove('chain-1', 3);
    const [second, third] = [await item('chain-2', 2), await item('chain-2', 3)];
    await put({ ...third, sk: second.sk });
    await put({ ...second, sk: third.sk });
    await remove('chain-3', 6);

    const { status, lines } = await verify('--marketplace', 'demo', ...RANGE);
    expect(status).toBe(1);
    expect(lines).toEqual([
      'BROKEN ticket chain-0: event 3: hash does not match the event content',
      'BROKEN ticket chain-1: event 4: expected sequence 3, found 4',
      'BROKEN ticket chain-2: event 3: expected sequence 2, found 3',
      'BROKEN ticket chain-3: event 6: the recorded head is event 6; the trail ends at 5',
      'checked 6 chains (34 events): 4 broken',
    ]);
  });

  it('checks a single ticket with --ticket', async () => {
    expect(await verify('--ticket', 'chain-4')).toEqual({ status: 0, lines: ['checked 1 chains (6 events): all intact'] });
    expect((await verify('--ticket', 'chain-1')).status).toBe(1);
  });

  it("finds a ticket's trail replaced by another ticket's intact chain, head and all", async () => {
    // Every link of chain-4 hashes correctly; only the ticket id inside each event tells it is not chain-5's.
    for (let seq = 1; seq <= 6; seq += 1) await put({ ...(await item('chain-4', seq)), pk: 'TICKET#chain-5' });
    const source = (await env.documents.send(new GetCommand({ TableName: 'aftercare-tickets', Key: { pk: 'TICKET#chain-4' } }))).Item!;
    const victim = (await env.documents.send(new GetCommand({ TableName: 'aftercare-tickets', Key: { pk: 'TICKET#chain-5' } }))).Item!;
    await env.documents.send(new PutCommand({ TableName: 'aftercare-tickets', Item: { ...victim, auditSeq: source.auditSeq, auditHead: source.auditHead } }));

    expect(await verify('--ticket', 'chain-5')).toEqual({
      status: 1,
      lines: ['BROKEN ticket chain-5: event 1: the event belongs to ticket chain-4', 'checked 1 chains (6 events): 1 broken'],
    });
  });

  it('finds a tampered export record on the marketplace chain', async () => {
    const auditor = await env.api.token('auditor', 'demo');
    const now = new Date((await env.api.nowSeconds()) * 1000);
    const range = ['--from', new Date(now.getTime() - 60_000).toISOString(), '--to', new Date(now.getTime() + 60_000).toISOString()];
    for (let n = 0; n < 2; n += 1) {
      const exported = await fetch(`${env.api.baseUrl}/audit/export?marketplace=demo&from=2026-03-01T00:00:00Z&to=2026-03-01T00:01:00Z`, {
        headers: { authorization: `Bearer ${auditor}` },
      });
      expect(exported.status).toBe(200);
    }
    expect(await verify('--marketplace', 'demo', ...range)).toEqual({ status: 0, lines: ['checked 1 chains (2 events): all intact'] });
    const exportRecord = (await env.documents.send(new GetCommand({ TableName: AUDIT_TABLE, Key: { pk: 'MARKETPLACE#demo', sk: 'SEQ#0000000002' } }))).Item!;
    await put({ ...exportRecord, details: { ...exportRecord.details, events: 0 } });
    expect(await verify('--marketplace', 'demo', ...range)).toEqual({
      status: 1,
      lines: ['BROKEN marketplace demo: event 2: hash does not match the event content', 'checked 1 chains (2 events): 1 broken'],
    });
  });

  it('exits 2 on bad usage, naming what to give', async () => {
    const { status, lines } = await verify('--marketplace', 'demo', '--from', 'yesterday', '--to', '2026-03-02T00:00:00Z');
    expect(status).toBe(2);
    expect(lines.join('\n')).toContain('--marketplace M --from T1 --to T2');
  });

  it('runs as `npx aftercare` on the project\'s Node', async () => {
    const child = spawn('npx', ['--no-install', 'aftercare', 'audit', 'verify', '--ticket', 'chain-0', '--url', env.api.baseUrl], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AFTERCARE_TOKEN: '' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ status, stdout }).toEqual({
      status: 1,
      stdout: 'BROKEN ticket chain-0: event 3: hash does not match the event content\nchecked 1 chains (6 events): 1 broken\n',
    });
  });
});
