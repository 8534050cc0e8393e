import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { ROLES, type Role } from '@shared/auth/caller';
import { ACTION_ROLES, ROUTE_ROLES, type JwtRouteKey } from '@shared/auth/route-access';
import { complaintCreated } from '../../support/http-client';
import { startInProcessStack, type InProcessStack } from '../../support/in-process-stack';

const ACME_SECRET = 'acme-webhook-secret-0001';
const WHOLE_RANGE = 'from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z';

interface Target {
  readonly ticketId: string;
  readonly marketplace: string;
}
interface RouteRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
}

/** How to call each JWT route on a target; a route added to the table without a line here does not compile. */
const REQUESTS: Record<JwtRouteKey, (target: Target) => RouteRequest> = {
  'GET /tickets': ({ marketplace }) => ({ method: 'GET', path: `/tickets?marketplace=${marketplace}` }),
  'GET /tickets/summary': ({ marketplace }) => ({ method: 'GET', path: `/tickets/summary?marketplace=${marketplace}` }),
  'GET /tickets/{id}': ({ ticketId }) => ({ method: 'GET', path: `/tickets/${ticketId}` }),
  'POST /tickets/{id}/actions': ({ ticketId }) => ({ method: 'POST', path: `/tickets/${ticketId}/actions`, body: { type: 'note', message: 'matrix check' } }),
  'GET /tickets/{id}/messages': ({ ticketId }) => ({ method: 'GET', path: `/tickets/${ticketId}/messages` }),
  // The complaint's description is the ticket's first message (only an admin on its own marketplace erases it, once).
  'POST /tickets/{id}/messages/{messageId}/erase': ({ ticketId }) => ({
    method: 'POST',
    path: `/tickets/${ticketId}/messages/${ticketId}.m1/erase`,
    body: { reason: 'matrix check' },
  }),
  'GET /audit/tickets/{id}': ({ ticketId }) => ({ method: 'GET', path: `/audit/tickets/${ticketId}` }),
  'GET /audit/events': ({ marketplace }) => ({ method: 'GET', path: `/audit/events?marketplace=${marketplace}&${WHOLE_RANGE}` }),
  'GET /audit/export': ({ marketplace }) => ({ method: 'GET', path: `/audit/export?marketplace=${marketplace}&${WHOLE_RANGE}` }),
  'GET /audit/marketplaces/{marketplace}/chain': ({ marketplace }) => ({ method: 'GET', path: `/audit/marketplaces/${marketplace}/chain` }),
  'GET /notifications': ({ marketplace }) => ({ method: 'GET', path: `/notifications?marketplace=${marketplace}` }),
  'GET /reports/kpis': ({ marketplace }) => ({ method: 'GET', path: `/reports/kpis?marketplace=${marketplace}&period=month` }),
  // The first-response breach of the target (recorded in beforeAll); acknowledging again is harmless.
  'POST /notifications/{id}/ack': ({ ticketId }) => ({ method: 'POST', path: `/notifications/${ticketId}:firstResponse:breach/ack` }),
  'GET /quality/reviews': ({ marketplace }) => ({ method: 'GET', path: `/quality/reviews?marketplace=${marketplace}` }),
  // No draw picked the target: a caller the route and grant admit gets as far as "no such review".
  'POST /quality/reviews/{id}': ({ marketplace, ticketId }) => ({
    method: 'POST',
    path: `/quality/reviews/${marketplace}.week.2026-03-02.${ticketId}`,
    body: { courtesy: 5, accuracy: 5, process: 5, comment: 'matrix check' },
  }),
};

/** What an admitted caller gets on the own target: 200, but for routes whose target does not exist there. */
const SERVED: Partial<Record<JwtRouteKey, number>> = { 'POST /quality/reviews/{id}': 404 };

/** Whether `role` may call the route on a complaint (the target tickets are complaints). */
function allowed(routeKey: JwtRouteKey, role: Role): boolean {
  const routeRoles: readonly Role[] = ROUTE_ROLES[routeKey];
  if (!routeRoles.includes(role)) return false;
  return routeKey === 'POST /tickets/{id}/actions' ? ACTION_ROLES.complaint!.includes(role) : true;
}

/**
 * Every JWT route × every role × own and foreign marketplace, against the local stack: a
 * caller granted `demo` is served on demo's complaint and refused (403) on acme's, with the
 * same answer a missing ticket gets; a role outside the table is refused everywhere.
 */
describe('who may do what', () => {
  let env: InProcessStack;
  let own: Target;
  let foreign: Target;

  beforeAll(async () => {
    const configFile = join(mkdtempSync(join(tmpdir(), 'aftercare-matrix-')), 'config.json');
    writeFileSync(configFile, JSON.stringify({ marketplaces: { acme: { webhookSecrets: [ACME_SECRET] } } }));
    env = await startInProcessStack({ configFile });
    const open = async (marketplace: string, secret: string, reference: string): Promise<Target> => {
      const answer = await env.api.sendWebhook(marketplace, secret, JSON.stringify(complaintCreated(reference)));
      expect(answer.status).toBe(202);
      return { ticketId: answer.body.ticketId as string, marketplace };
    };
    own = await open('demo', env.secret, 'matrix-own');
    foreign = await open('acme', ACME_SECRET, 'matrix-foreign');
    await env.api.advance(16 * 60); // both first responses missed: a notification each

  }, 120_000);

  afterAll(async () => {
    await env?.stop();
  });

  const call = async (request: RouteRequest, token?: string) => {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const response = await fetch(`${env.api.baseUrl}${request.path}`, {
      method: request.method,
      headers: { 'content-type': 'application/json', ...headers },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
    return { status: response.status, text: await response.text(), headers: JSON.stringify([...response.headers]) };
  };

  const cases = (Object.keys(REQUESTS) as JwtRouteKey[]).flatMap((routeKey) =>
    ROLES.flatMap((role) => (['own', 'foreign'] as const).map((side) => [routeKey, role, side] as const)),
  );

  it.each(cases)('%s as %s on the %s marketplace', async (routeKey, role, side) => {
    const token = await env.api.token(role, 'demo');
    const answer = await call(REQUESTS[routeKey](side === 'own' ? own : foreign), token);
    const expected = allowed(routeKey, role) && side === 'own' ? (SERVED[routeKey] ?? 200) : 403;
    expect({ status: answer.status, body: answer.text.slice(0, 300) }).toEqual({ status: expected, body: expect.any(String) });
    if (side === 'foreign') expect(`${answer.headers} ${answer.text}`).not.toContain(foreign.ticketId);
  });

  it.each(Object.keys(REQUESTS) as JwtRouteKey[])('%s: 401 without a token, with a forged one, or with an unknown role', async (routeKey) => {
    const request = REQUESTS[routeKey](own);
    expect((await call(request)).status).toBe(401);
    const forged = await new SignJWT({ role: 'admin', marketplaces: '*' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setIssuer('aftercare-local')
      .setAudience('aftercare')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not-the-dev-key-not-the-dev-key!'));
    expect((await call(request, forged)).status).toBe(401);
    const unknownRole = await new SignJWT({ role: 'superuser', marketplaces: '*' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setIssuer('aftercare-local')
      .setAudience('aftercare')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(env.stack.devJwtKey));
    expect((await call(request, unknownRole)).status).toBe(401);
  });

  it.each(['GET /tickets/{id}', 'POST /tickets/{id}/actions', 'GET /audit/tickets/{id}'] as const)(
    '%s: a foreign ticket and a missing one get the very same answer',
    async (routeKey) => {
      const role: Role = routeKey === 'GET /audit/tickets/{id}' ? 'auditor' : 'agent';
      const token = await env.api.token(role, 'demo');
      const onForeign = await call(REQUESTS[routeKey](foreign), token);
      const onMissing = await call(REQUESTS[routeKey]({ ticketId: 'tkt_does_not_exist', marketplace: 'demo' }), token);
      expect({ status: onForeign.status, text: onForeign.text }).toEqual({ status: 403, text: onMissing.text });
      expect(onForeign.headers.replace(/"date","[^"]*"/, '')).toBe(onMissing.headers.replace(/"date","[^"]*"/, ''));
      // Seeing every marketplace, a missing ticket is simply not found.
      const admin = await env.api.token('admin', '*');
      expect((await call(REQUESTS[routeKey]({ ticketId: 'tkt_does_not_exist', marketplace: 'demo' }), admin)).status).toBe(404);
    },
  );

  it('auditors change nothing: their only trace is the record of their own export', async () => {
    const tickets = await env.allItems('tickets');
    const audit = await env.allItems('audit');
    const auditor = await env.api.token('auditor', '*');
    for (const target of [own, foreign]) {
      for (const request of Object.values(REQUESTS)) await call(request(target), auditor);
      await call({ method: 'POST', path: `/tickets/${target.ticketId}/actions`, body: { type: 'resolve', message: 'no' } }, auditor);
    }
    expect(await env.allItems('tickets')).toEqual(tickets);
    const added = (await env.allItems('audit')).filter((item) => !audit.some((before) => before.pk === item.pk && before.sk === item.sk));
    expect(added.map((item) => [item.action, item.chain, item.actorKey])).toEqual([
      ['audit.exported', 'marketplace', 'auditor#local-auditor'],
      ['audit.exported', 'marketplace', 'auditor#local-auditor'],
    ]);
  });
});
