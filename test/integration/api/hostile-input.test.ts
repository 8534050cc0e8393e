import fc from 'fast-check';
import { SignJWT } from 'jose';
import { complaintCreated } from '../../support/http-client';
import { startInProcessStack, type InProcessStack } from '../../support/in-process-stack';

const WHOLE_RANGE = 'from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z';
const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
const LONG_ID = `tkt_${'a'.repeat(2100)}`;

/**
 * Hostile paths, query strings, cursors and tokens on every JWT route of the local stack:
 * each gets a 4xx with a message (never a 5xx), and none writes anything.
 */
describe('hostile input on the API', () => {
  let env: InProcessStack;
  let admin: string;
  let manager: string;
  let auditor: string;
  let ticketId: string;

  beforeAll(async () => {
    env = await startInProcessStack();
    for (const reference of ['hostile-1', 'hostile-2']) {
      const answer = await env.api.sendWebhook('demo', env.secret, JSON.stringify(complaintCreated(reference, new Date((await env.api.nowSeconds()) * 1000).toISOString())));
      expect(answer.status).toBe(202);
      ticketId = answer.body.ticketId as string;
    }
    await env.api.advance(900); // warnings and breaches: notifications to page through
    [admin, manager, auditor] = await Promise.all([env.api.token('admin', '*'), env.api.token('manager', 'demo'), env.api.token('auditor', '*')]);
  }, 120_000);

  afterAll(async () => {
    await env?.stop();
  });

  const raw = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${env.api.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as { message?: string; [field: string]: unknown } };
  };

  describe('GET /notifications cursors', () => {
    it('pages with the cursors it hands out', async () => {
      const first = await raw('GET', '/notifications?marketplace=demo&limit=3', manager);
      expect(first.status).toBe(200);
      const second = await raw('GET', `/notifications?marketplace=demo&limit=3&cursor=${first.body.cursor as string}`, manager);
      expect(second.status).toBe(200);
      const ids = [first, second].flatMap((page) => (page.body.notifications as { id: string }[]).map((notification) => notification.id));
      expect(ids).toHaveLength(4); // a warning and a breach of the first response, for each complaint
      expect(new Set(ids).size).toBe(4);
      expect(second.body.cursor).toBeUndefined();
    });

    it.each([
      ['e30 (an empty object)', 'e30'],
      ['not base64 JSON', 'bm90LWEtY3Vyc29y'],
      ['a JSON array', cursorOf(['a'])],
      ['empty key values', cursorOf({ id: '', marketplace: 'demo', at: '' })],
      ['a key missing', cursorOf({ id: 'x', marketplace: 'demo' })],
      ['a key that is not text', cursorOf({ id: 7, marketplace: 'demo', at: '2026-01-01T00:00:00Z' })],
      ['an attribute of no index', cursorOf({ id: 'x', marketplace: 'demo', at: '2026-01-01T00:00:00Z', pk: 'x' })],
      ['a key over 2 KB', cursorOf({ id: 'x'.repeat(2100), marketplace: 'demo', at: '2026-01-01T00:00:00Z' })],
      ['another marketplace\'s position', cursorOf({ id: 'x', marketplace: 'acme', at: '2026-01-01T00:00:00Z' })],
    ])('answers 400 to a cursor with %s', async (_name, cursor) => {
      const answer = await raw('GET', `/notifications?marketplace=demo&cursor=${cursor}`, admin);
      expect(answer).toEqual({ status: 400, body: expect.objectContaining({ message: expect.stringContaining('cursor') }) });
    });

    it('answers 400 to a marketplace that cannot be one, rather than querying it', async () => {
      const answer = await raw('GET', `/notifications?marketplace=${'m'.repeat(2100)}`, admin);
      expect(answer).toEqual({ status: 400, body: expect.objectContaining({ message: expect.stringContaining('marketplace') }) });
    });
  });

  describe('GET /audit/events cursors', () => {
    const positionIn = (key: Record<string, unknown>) =>
      cursorOf({ pk: `TICKET#${ticketId}`, sk: 'SEQ#0000000001', atKey: '2026-01-01T00:00:00.000Z#x', marketplace: 'demo', ...key });

    it.each([
      ['e30 (an empty object)', 'e30'],
      ['an empty partition key', positionIn({ pk: '' })],
      ['an empty sort key', positionIn({ sk: '' })],
      ['an empty index key', positionIn({ atKey: '' })],
      ['an empty marketplace', positionIn({ marketplace: '' })],
      ['a key over 1 KB', positionIn({ sk: 's'.repeat(1100) })],
      ['an attribute of no index', positionIn({ extra: 'x' })],
    ])('answers 400 to a cursor with %s', async (_name, cursor) => {
      const answer = await raw('GET', `/audit/events?marketplace=demo&${WHOLE_RANGE}&cursor=${cursor}`, auditor);
      expect(answer).toEqual({ status: 400, body: expect.objectContaining({ message: expect.stringContaining('cursor') }) });
    });

    it('answers 400 to an actor too long to be an index key, rather than querying it', async () => {
      const answer = await raw('GET', `/audit/events?marketplace=demo&${WHOLE_RANGE}&actor=agent:${'a'.repeat(2100)}`, auditor);
      expect(answer).toEqual({ status: 400, body: expect.objectContaining({ message: expect.stringContaining('actor') }) });
    });
  });

  describe('ticket ids', () => {
    const ticketRoutes = [
      ['GET', (id: string) => `/tickets/${id}`],
      ['POST', (id: string) => `/tickets/${id}/actions`],
      ['GET', (id: string) => `/audit/tickets/${id}`],
      ['GET', (id: string) => `/tickets/${id}/messages`],
      ['POST', (id: string) => `/tickets/${id}/messages/${id}.m1/erase`],
    ] as const;

    it.each(ticketRoutes.flatMap(([method, path]) => [
      [method, path('ID'), 'over 2 KB', LONG_ID],
      [method, path('ID'), 'with a slash', encodeURIComponent('tkt_a/../b')],
      [method, path('ID'), 'with a space', encodeURIComponent('tkt a')],
    ]))('%s %s answers 400 to an id %s', async (method, pathTemplate, _name, id) => {
      const body = method === 'POST' ? { type: 'note', message: 'hostile' } : undefined;
      const answer = await raw(method, pathTemplate.replace('ID', id), admin, body);
      expect(answer).toEqual({ status: 400, body: expect.objectContaining({ message: expect.stringContaining('id') }) });
    });

    it('still serves a well-formed id', async () => {
      expect((await raw('GET', `/tickets/${ticketId}`, admin)).status).toBe(200);
    });
  });

  describe('work queue, conversation and notification routes', () => {
    it.each([
      ['e30 (an empty object)', 'e30'],
      ['not base64 JSON', 'bm90LWEtY3Vyc29y'],
      ['an empty key value', cursorOf({ v: 1, q: '0'.repeat(16), s: 0, k: { pk: '' }, a: '2026-01-01T00:00:00.000Z' })],
      ['a key over 1 KB', cursorOf({ v: 1, q: '0'.repeat(16), s: 0, k: { pk: `TICKET#${'x'.repeat(1100)}` }, a: '2026-01-01T00:00:00.000Z' })],
    ])('GET /tickets answers 400 to a cursor with %s', async (_name, cursor) => {
      const answer = await raw('GET', `/tickets?marketplace=demo&cursor=${cursor}`, admin);
      expect(answer).toEqual({ status: 400, body: expect.objectContaining({ message: expect.stringContaining('cursor') }) });
    });

    it.each([['e30'], ['m0'], [`m${'9'.repeat(20)}`]])('GET /tickets/{id}/messages answers 400 to the cursor %s', async (cursor) => {
      const answer = await raw('GET', `/tickets/${ticketId}/messages?cursor=${cursor}`, admin);
      expect(answer).toEqual({ status: 400, body: expect.objectContaining({ message: expect.stringContaining('cursor') }) });
    });

    it.each([
      ['a message id over 2 KB', () => `/tickets/${ticketId}/messages/${LONG_ID}.m1/erase`],
      ['a message id of no message form', () => `/tickets/${ticketId}/messages/${encodeURIComponent('a b')}/erase`],
    ])('POST .../erase answers 400 to %s', async (_name, path) => {
      const answer = await raw('POST', path(), admin, { reason: 'hostile' });
      expect(answer).toEqual({ status: 400, body: expect.objectContaining({ message: expect.stringContaining('messageId') }) });
    });

    it.each([
      ['over 2 KB', `${LONG_ID}:firstResponse:breach`],
      ['with a space', encodeURIComponent('tkt a:firstResponse:breach')],
    ])('POST /notifications/{id}/ack answers 400 to an id %s', async (_name, id) => {
      const answer = await raw('POST', `/notifications/${id}/ack`, admin);
      expect(answer).toEqual({ status: 400, body: expect.objectContaining({ message: expect.stringContaining('id') }) });
    });
  });

  describe('percent-encoding in the local server', () => {
    it.each([
      ['GET', '/tickets/%E0%A4%A'],
      ['GET', '/tickets/%'],
      ['POST', '/tickets/%ZZ/actions'],
      ['GET', '/audit/tickets/%C0%80'],
      ['GET', '/audit/marketplaces/%FF/chain'],
      ['POST', '/webhooks/%D8%00'],
    ])('%s %s: 400 before any handler runs', async (method, path) => {
      const answer = await raw(method, path, admin, method === 'POST' ? {} : undefined);
      expect(answer.status).toBe(400);
      expect(answer.body.message).toContain('percent-encoding');
    });
  });

  describe('JWT algorithms', () => {
    it.each(['HS384', 'HS512'])('refuses a token signed with the dev key under %s: only HS256 is accepted', async (alg) => {
      const token = await new SignJWT({ role: 'admin', marketplaces: '*' })
        .setProtectedHeader({ alg })
        .setSubject('mallory')
        .setIssuer('aftercare-local')
        .setAudience('aftercare')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(env.stack.devJwtKey));
      expect((await raw('GET', `/tickets/${ticketId}`, token)).status).toBe(401);
    });

    it('refuses an unsigned token (alg none)', async () => {
      const header = cursorOf({ alg: 'none', typ: 'JWT' });
      const payload = cursorOf({ role: 'admin', marketplaces: '*', sub: 'mallory', iss: 'aftercare-local', aud: 'aftercare', exp: Math.floor(Date.now() / 1000) + 3600 });
      expect((await raw('GET', `/tickets/${ticketId}`, `${header}.${payload}.`)).status).toBe(401);
    });
  });

  describe('under fuzzing', () => {
    /** A path segment as a hostile caller may send it: any text, percent-encoded or raw, or stray `%` sequences. */
    const segment = fc.oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map(encodeURIComponent),
      fc.uint8Array({ minLength: 1, maxLength: 12 }).map((bytes) => [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')),
      // `.` and `..` are not segments a client sends: URLs resolve them away (`/tickets/..` is `/`).
      fc.stringMatching(/^[A-Za-z0-9%_.~-]{1,40}$/).filter((text) => text !== '.' && text !== '..'),
      fc.integer({ min: 1, max: 3000 }).map((length) => 'x'.repeat(length)),
    );
    const anyKey = fc.dictionary(fc.constantFrom('id', 'marketplace', 'at', 'pk', 'sk', 'atKey', 'actorKey', 'extra'), fc.jsonValue({ maxDepth: 1 }));
    const cursor = fc.oneof(anyKey.map(cursorOf), fc.string({ maxLength: 60 }).map(encodeURIComponent), fc.base64String({ maxLength: 60 }));
    const request = fc.oneof(
      segment.map((id) => ['GET', `/tickets/${id}`] as const),
      segment.map((id) => ['POST', `/tickets/${id}/actions`] as const),
      segment.map((id) => ['GET', `/audit/tickets/${id}`] as const),
      segment.map((marketplace) => ['GET', `/audit/marketplaces/${marketplace}/chain`] as const),
      segment.map((marketplace) => ['POST', `/webhooks/${marketplace}`] as const),
      segment.map((id) => ['GET', `/tickets/${id}/messages`] as const),
      fc.tuple(segment, segment).map(([id, messageId]) => ['POST', `/tickets/${id}/messages/${messageId}/erase`] as const),
      segment.map((id) => ['POST', `/notifications/${id}/ack`] as const),
      fc.tuple(segment, cursor).map(([marketplace, position]) => ['GET', `/tickets?marketplace=${marketplace}&cursor=${position}`] as const),
      cursor.map((position) => ['GET', `/tickets?marketplace=demo&limit=2&cursor=${position}`] as const),
      fc.tuple(segment, cursor).map(([marketplace, position]) => ['GET', `/notifications?marketplace=${marketplace}&cursor=${position}`] as const),
      cursor.map((position) => ['GET', `/notifications?marketplace=demo&limit=2&cursor=${position}`] as const),
      fc.tuple(cursor, fc.constantFrom('', '&actor=system:workflow', '&action=ticket.created')).map(
        ([position, filter]) => ['GET', `/audit/events?marketplace=demo&${WHOLE_RANGE}${filter}&cursor=${position}`] as const,
      ),
      fc.tuple(segment, fc.string({ maxLength: 30 }).map(encodeURIComponent)).map(
        ([marketplace, limit]) => ['GET', `/audit/events?marketplace=${marketplace}&${WHOLE_RANGE}&limit=${limit}`] as const,
      ),
      fc.tuple(fc.constantFrom('agent', 'system', 'robot'), segment, segment).map(
        ([type, id, action]) => ['GET', `/audit/events?marketplace=demo&${WHOLE_RANGE}&actor=${type}:${id}&action=${action}`] as const,
      ),
      fc.tuple(segment, segment).map(([from, to]) => ['GET', `/audit/events?marketplace=demo&from=${from}&to=${to}`] as const),
    );

    it('answers 4xx to 500 hostile requests on every route with a path parameter or a cursor, and writes nothing', async () => {
      const before = await Promise.all([env.allItems('tickets'), env.allItems('audit'), env.allItems('inbox')]);
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(request, async ([method, path]) => {
          const answer = await raw(method, path, admin, method === 'POST' ? { type: 'note', message: 'fuzz' } : undefined);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          expect(answer.status).toBeLessThan(500);
          expect(typeof answer.body.message === 'string' || answer.status === 200).toBe(true);
        }),
        { numRuns: 500 },
      );
      const after = await Promise.all([env.allItems('tickets'), env.allItems('audit'), env.allItems('inbox')]);
      expect(after).toEqual(before);
      // Hostile, not merely unknown: most are refused outright; the rest are well-formed and answered.
      expect([...statuses.keys()].every((status) => [200, 400, 401, 403, 404].includes(status))).toBe(true);
    }, 120_000);
  });
});
