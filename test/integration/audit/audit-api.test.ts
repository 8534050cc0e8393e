import { createHash } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { startInProcessStack, type InProcessStack } from '../../support/in-process-stack';
import { writeAuditHistory } from '../../support/audit-history';

const TICKETS = 120;
const EVENTS_PER_TICKET = 25; // 3,000 events
const START = '2026-03-01T00:00:00.000Z';
const END = '2026-03-03T00:00:00.000Z';

/**
 * The audit API on the local stack, over a marketplace with thousands of events written
 * through the product's own transactions: every event exactly once across pages, exports
 * equal to the pages, and each export itself on the record.
 */
/** A cursor built by hand as a caller could: a real position of demo's range plus `extra`. */
function handMadeCursor(extra: Record<string, unknown>): string {
  const key = { pk: 'TICKET#paged-0', sk: 'SEQ#0000000001', marketplace: 'demo', atKey: `${START}#paged-0#0000000001`, ...extra };
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

describe('audit API', () => {
  let env: InProcessStack;
  let auditor: string;

  beforeAll(async () => {
    env = await startInProcessStack();
    await writeAuditHistory({
      client: env.documents,
      ticketsTable: 'aftercare-tickets',
      auditTable: 'aftercare-audit',
      marketplace: 'demo',
      tickets: TICKETS,
      eventsPerTicket: EVENTS_PER_TICKET,
      startIso: START,
      prefix: 'paged',
    });
    auditor = await env.api.token('auditor', 'demo');
  }, 300_000);

  afterAll(async () => {
    await env?.stop();
  });

  type Event = { ticketId?: string; seq: number; at: string; action: string; chain?: string; details?: Record<string, unknown> };

  async function allPages(query: string, limit: number): Promise<{ events: Event[]; pages: number }> {
    const events: Event[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const answer = await env.api.get(`/audit/events?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, auditor);
      expect(answer.status).toBe(200);
      events.push(...answer.body.events);
      cursor = answer.body.cursor;
      pages += 1;
      if (pages > 1000) throw new Error('pagination does not end');
    } while (cursor);
    return { events, pages };
  }

  it('pages a range of thousands of events in time order, each exactly once', async () => {
    const { events, pages } = await allPages(`marketplace=demo&from=${START}&to=${END}`, 100);
    expect(events).toHaveLength(TICKETS * EVENTS_PER_TICKET);
    expect(pages).toBeGreaterThanOrEqual(30);
    expect(new Set(events.map((event) => `${event.ticketId}#${event.seq}`)).size).toBe(events.length);
    expect(events.map((event) => event.at)).toEqual([...events.map((event) => event.at)].sort());
  });

  it('cuts the range at [from, to), and filters by actor and by action', async () => {
    const from = '2026-03-01T00:10:00.000Z';
    const to = '2026-03-01T00:20:00.000Z';
    const window = await allPages(`marketplace=demo&from=${from}&to=${to}`, 50);
    expect(window.events).toHaveLength(600);
    expect(window.events.every((event) => event.at >= from && event.at < to)).toBe(true);

    const byActor = await allPages(`marketplace=demo&from=${START}&to=${END}&actor=agent:paged-agent`, 500);
    expect(byActor.events).toHaveLength(TICKETS * (EVENTS_PER_TICKET - 1));
    // The system's events are not on the by-actor index: they are the marketplace's, filtered.
    const bySystem = await allPages(`marketplace=demo&from=${START}&to=${END}&actor=system:test`, 500);
    expect(bySystem.events).toHaveLength(TICKETS);
    expect(bySystem.events.map((event) => event.seq)).toEqual(Array.from({ length: TICKETS }, () => 1));
    const onActorIndex = await env.documents.send(
      new QueryCommand({ TableName: 'aftercare-audit', IndexName: 'by-actor', KeyConditionExpression: 'actorKey = :key', ExpressionAttributeValues: { ':key': 'system#test' } }),
    );
    expect(onActorIndex.Count).toBe(0);
    const escalations = await allPages(`marketplace=demo&from=${START}&to=${END}&action=ticket.escalated`, 500);
    expect(escalations.events).toHaveLength(TICKETS * Math.floor((EVENTS_PER_TICKET - 1) / 2));
    expect(new Set(escalations.events.map((event) => event.action))).toEqual(new Set(['ticket.escalated']));
  });

  it('exports the range as NDJSON equal to the sum of its pages, and records the export', async () => {
    const pages = await allPages(`marketplace=demo&from=${START}&to=${END}`, 250);
    const response = await fetch(`${env.api.baseUrl}/audit/export?marketplace=demo&from=${START}&to=${END}&format=ndjson`, {
      headers: { authorization: `Bearer ${auditor}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const body = await response.text();
    const exported = body.trimEnd().split('\n').map((line) => JSON.parse(line) as Event);
    expect(exported).toEqual(pages.events);

    const now = (await env.api.get('/_local/clock')).body.now as string;
    const later = new Date(Date.parse(now) + 1000).toISOString();
    const records = await env.api.get(`/audit/events?marketplace=demo&from=${now}&to=${later}&action=audit.exported`, auditor);
    expect(records.body.events).toEqual([
      expect.objectContaining({
        chain: 'marketplace',
        marketplace: 'demo',
        action: 'audit.exported',
        actor: { type: 'auditor', id: 'local-auditor' },
        details: { from: START, to: END, format: 'ndjson', events: exported.length, sha256: createHash('sha256').update(body).digest('hex') },
      }),
    ]);
  });

  it('exports CSV with a header and one row per event, and chains successive exports', async () => {
    const response = await fetch(`${env.api.baseUrl}/audit/export?marketplace=demo&from=${START}&to=2026-03-01T00:05:00Z&format=csv`, {
      headers: { authorization: `Bearer ${auditor}` },
    });
    expect(response.status).toBe(200);
    const lines = (await response.text()).trimEnd().split('\n');
    expect(lines[0]).toBe('at,marketplace,chain,ticketId,seq,actorType,actorId,via,action,reason,changes,details,prevHash,hash');
    expect(lines).toHaveLength(1 + 300);
    expect(lines[1]).toMatch(/^2026-03-01T00:00:00.000Z,demo,ticket,paged-0,1,system,test,workflow,ticket.created,,"\[/);

    // Exports are recorded at the stack's time, after the generated history.
    const now = (await env.api.get('/_local/clock')).body.now as string;
    const exports = await allPages(`marketplace=demo&from=${END}&to=${new Date(Date.parse(now) + 1000).toISOString()}&action=audit.exported`, 100);
    expect(exports.events.map((event) => event.seq)).toEqual([1, 2]);
    expect((exports.events[1] as Event & { prevHash: string }).prevHash).toBe((exports.events[0] as Event & { hash: string }).hash);
  });

  it.each([
    ['no marketplace', `from=${START}&to=${END}`, 'marketplace'],
    ['a time that is not ISO-8601', `marketplace=demo&from=yesterday&to=${END}`, 'from'],
    ['from after to', `marketplace=demo&from=${END}&to=${START}`, 'from must be before to'],
    ['an unknown parameter', `marketplace=demo&from=${START}&to=${END}&form=x`, 'form'],
    ['a malformed actor', `marketplace=demo&from=${START}&to=${END}&actor=alice`, 'actor'],
    ['a limit of 0', `marketplace=demo&from=${START}&to=${END}&limit=0`, 'limit'],
    ['a forged cursor', `marketplace=demo&from=${START}&to=${END}&cursor=bm90LWEtY3Vyc29y`, 'cursor'],
    ['a hand-made cursor with a key that is not text', `marketplace=demo&from=${START}&to=${END}&cursor=${handMadeCursor({ sk: 7 })}`, 'cursor'],
  ])('answers 400 for %s, naming it', async (_name, query, named) => {
    const answer = await env.api.get(`/audit/events?${query}`, auditor);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain(named);
  });

  it('reads a hand-made cursor carrying another index\'s key as the position it names, not as a server error', async () => {
    const answer = await env.api.get(`/audit/events?marketplace=demo&from=${START}&to=${END}&limit=1&cursor=${handMadeCursor({ actorKey: 'agent#paged-agent' })}`, auditor);
    expect(answer.status).toBe(200);
    expect((answer.body.events as Event[]).map((event) => [event.ticketId, event.seq])).toEqual([['paged-1', 1]]);
  });

  it('refuses a cursor from another query', async () => {
    const first = await env.api.get(`/audit/events?marketplace=demo&from=${START}&to=${END}&limit=5`, auditor);
    const other = await env.api.get(`/audit/events?marketplace=demo&from=2026-03-02T00:00:00Z&to=${END}&cursor=${first.body.cursor}`, auditor);
    expect(other.status).toBe(400);
    expect(other.body.message).toContain('cursor');
  });

  it('answers 400 for an unknown export format, and records nothing', async () => {
    const before = (await env.allItems('audit')).length;
    const answer = await env.api.get(`/audit/export?marketplace=demo&from=${START}&to=${END}&format=xml`, auditor);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain('format');
    expect(await env.allItems('audit')).toHaveLength(before);
  });
});
