import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { startInProcessStack, type InProcessStack } from '../../support/in-process-stack';
import { runCli } from '../../../cli/main';

const SECRET = 'acme-webhook-secret-0001';
const ZONE = 'Asia/Shanghai';
const MINUTE = 60;
const HOUR = 3600;
/** Complaints each agent closes in the drawn week: 5 % of 21 is 1.05, rounded up: alice gets 2 reviews; bob gets 1 of 3. */
const CLOSED_IN_WEEK = { alice: 21, bob: 3 } as const;

interface Complaint {
  readonly reference: string;
  readonly agent: keyof typeof CLOSED_IN_WEEK;
  ticketId?: string;
}

/**
 * Quality spot-checks on the local stack's manual clock: complaints closed by two agents in
 * one week (Asia/Shanghai, from Monday), the scheduled draw after the week ends, then the
 * reviews by a manager, their audit events and the agents' KPI rows.
 */
describe('quality spot-checks: the weekly draw and its reviews', () => {
  let env: InProcessStack;
  let manager: string;
  let tokens: Record<string, string>;
  let weekStart: DateTime;
  const complaints: Complaint[] = [];

  const call = (complaint: Complaint, type: string, data: Record<string, unknown> = {}) => async () => {
    const now = new Date((await env.api.nowSeconds()) * 1000).toISOString();
    const body = { id: `evt-${complaint.reference}-${type}`, type, occurredAt: now, data: { reference: complaint.reference, ...data } };
    const answer = await env.api.sendWebhook('acme', SECRET, JSON.stringify(body));
    expect(answer.status).toBe(202);
    if (type === 'complaint.created') complaint.ticketId = answer.body.ticketId;
  };
  const act = (complaint: Complaint, type: string) => async () => {
    const answer = await env.api.post(`/tickets/${complaint.ticketId}/actions`, { type, message: `${type} by ${complaint.agent}` }, tokens[complaint.agent]);
    expect({ type, status: answer.status }).toEqual({ type, status: 200 });
  };
  const inBatches = async (steps: (() => Promise<void>)[]) => {
    for (let index = 0; index < steps.length; index += 8) await Promise.all(steps.slice(index, index + 8).map((step) => step()));
  };
  const advanceTo = async (at: DateTime) => env.api.advance(Math.round(at.toSeconds() - (await env.api.nowSeconds())));

  /** Opens the complaints at `at` and takes each through respond, handle, resolve, confirmation and survey: closed 4 hours later. */
  async function closeComplaints(batch: Complaint[], at: DateTime) {
    await advanceTo(at);
    await inBatches(batch.map((complaint) => call(complaint, 'complaint.created', { orderId: `order-${complaint.reference}`, customerRef: `cust-${complaint.reference}`, channel: 'app', category: 'logistics', subject: 'Late', description: 'The parcel is late.' })));
    await env.api.advance(5 * MINUTE);
    await inBatches(batch.map((complaint) => act(complaint, 'respond')));
    await env.api.advance(HOUR);
    await inBatches(batch.map((complaint) => act(complaint, 'handle')));
    await env.api.advance(HOUR);
    await inBatches(batch.map((complaint) => act(complaint, 'resolve')));
    await env.api.advance(HOUR);
    await inBatches(batch.map((complaint) => call(complaint, 'complaint.customer_confirmed')));
    await env.api.advance(HOUR);
    await inBatches(batch.map((complaint) => call(complaint, 'survey.answered', { csat: 5 })));
    await env.api.advance(MINUTE);
  }

  beforeAll(async () => {
    const configFile = join(mkdtempSync(join(tmpdir(), 'aftercare-quality-')), 'config.json');
    const hours = ['09:00-18:00'];
    const calendar = { timeZone: ZONE, week: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: hours, sun: hours } };
    writeFileSync(configFile, JSON.stringify({ marketplaces: { acme: { webhookSecrets: [SECRET], calendar, quality: { share: 0.05 } }, other: { webhookSecrets: [`${SECRET}-other`] } } }));
    env = await startInProcessStack({ configFile });
    manager = await env.api.token('manager', 'acme');
    tokens = Object.fromEntries(
      await Promise.all(Object.keys(CLOSED_IN_WEEK).map(async (agent) => [agent, (await env.api.post('/_local/tokens', { role: 'agent', marketplace: 'acme', subject: agent })).body.token as string])),
    );
    const now = DateTime.fromSeconds(await env.api.nowSeconds(), { zone: ZONE });
    weekStart = now.plus({ weeks: 1 }).startOf('week');

    for (const [agent, count] of Object.entries(CLOSED_IN_WEEK) as [keyof typeof CLOSED_IN_WEEK, number][]) {
      for (let index = 0; index < count; index += 1) complaints.push({ reference: `q-${agent}-${index}`, agent });
    }
    // Monday and Wednesday of the week; and one closed the Monday after, which the week's draw must not see.
    await closeComplaints(complaints.filter((_, index) => index % 2 === 0), weekStart.plus({ hours: 9 }));
    await closeComplaints(complaints.filter((_, index) => index % 2 === 1), weekStart.plus({ days: 2, hours: 9 }));
    const nextWeek: Complaint = { reference: 'q-alice-next-week', agent: 'alice' };
    await closeComplaints([nextWeek], weekStart.plus({ weeks: 1, hours: 9 }));
  }, 600_000);

  afterAll(async () => {
    await env?.stop();
  });

  const reviews = async (query = '', token = manager) => {
    const answer = await env.api.get(`/quality/reviews?marketplace=acme${query}`, token);
    expect(answer.status).toBe(200);
    return answer.body;
  };

  it('draws, after the week, a seeded 5 % of each agent\'s closed complaints that anyone can draw again from the seed', async () => {
    const body = await reviews(`&period=${weekStart.plus({ days: 3 }).toISODate()}`);
    expect(body.period).toEqual({ kind: 'week', start: weekStart.toISODate(), end: weekStart.plus({ weeks: 1 }).toISODate() });
    expect(body.timeZone).toBe(ZONE);
    const { seed } = body.draw;
    expect(seed).toMatch(/^[0-9a-f]{32}$/);
    const expected = Object.entries(CLOSED_IN_WEEK).map(([agent, count]) => {
      const ids = complaints.filter((complaint) => complaint.agent === agent).map((complaint) => complaint.ticketId!).sort();
      const ranked = [...ids].sort((a, b) => createHmac('sha256', seed).update(a).digest('hex').localeCompare(createHmac('sha256', seed).update(b).digest('hex')));
      return { agent, closed: count, candidatesHash: createHash('sha256').update(ids.join('\n')).digest('hex'), drawn: ranked.slice(0, agent === 'alice' ? 2 : 1) };
    });
    expect(body.draw).toEqual({ seed, share: 0.05, drawnAt: expect.any(String), method: 'hmac-sha256', agents: expected });
    expect(body.reviews.map((review: any) => [review.ticketId, review.agent, review.status]).sort()).toEqual(
      expected.flatMap((agent) => agent.drawn.map((ticketId) => [ticketId, agent.agent, 'pending'])).sort(),
    );
    // The draw ran in the first quarter hour after the week (Monday 00:15 local and on).
    expect(DateTime.fromISO(body.draw.drawnAt).setZone(ZONE) >= weekStart.plus({ weeks: 1, minutes: 15 })).toBe(true);
  });

  it('draws a period once: later runs keep the recorded seed and picks', async () => {
    const before = await reviews(`&period=${weekStart.toISODate()}`);
    await env.api.advance(2 * HOUR);
    expect(await reviews(`&period=${weekStart.toISODate()}`)).toEqual(before);
  });

  it('refuses bad reviews with a 400 naming the field, and the wrong callers with a 403, writing nothing', async () => {
    const [review] = (await reviews(`&period=${weekStart.toISODate()}`)).reviews;
    const trail = (await env.allItems('audit')).length;
    for (const body of [
      { courtesy: 6, accuracy: 4, process: 4, comment: 'too high' },
      { courtesy: 0, accuracy: 4, process: 4, comment: 'too low' },
      { courtesy: 4.5, accuracy: 4, process: 4, comment: 'not whole' },
      { courtesy: 4, accuracy: 4, process: 4 },
      { courtesy: 4, accuracy: 4, process: 4, comment: '   ' },
      { courtesy: 4, accuracy: 4, process: 4, comment: 'ok', extra: true },
      { courtesy: '4', accuracy: 4, process: 4, comment: 'text score' },
    ]) {
      const answer = await env.api.post(`/quality/reviews/${review.id}`, body, manager);
      expect({ body, status: answer.status }).toEqual({ body, status: 400 });
    }
    expect((await env.api.request('POST', `/quality/reviews/${review.id}`, { body: '{not json', headers: { authorization: `Bearer ${manager}` } })).status).toBe(400);
    for (const id of ['nope', `acme.fortnight.2026-03-02.${review.ticketId}`, `${'a'.repeat(300)}.week.2026-03-02.tkt_1`, `acme.week.2026-03-02.tkt_${'1'.repeat(200)}`]) {
      const answer = await env.api.post(`/quality/reviews/${encodeURIComponent(id)}`, { courtesy: 4, accuracy: 4, process: 4, comment: 'ok' }, manager);
      expect({ id, status: answer.status, message: answer.body.message }).toEqual({ id, status: 400, message: expect.stringContaining('id') });
    }
    const good = { courtesy: 4, accuracy: 4, process: 4, comment: 'fine' };
    expect((await env.api.post(`/quality/reviews/${review.id}`, good, tokens.alice)).status).toBe(403);
    expect((await env.api.post(`/quality/reviews/${review.id}`, good, await env.api.token('auditor', 'acme'))).status).toBe(403);
    expect((await env.api.post(`/quality/reviews/${review.id}`, good, await env.api.token('manager', 'other'))).status).toBe(403);
    expect((await env.api.get('/quality/reviews?marketplace=acme', await env.api.token('manager', 'other'))).status).toBe(403);
    expect((await env.api.get('/quality/reviews?marketplace=acme', tokens.alice)).status).toBe(403);
    expect((await env.api.post(`/quality/reviews/acme.week.${weekStart.toISODate()}.tkt_000000000000000000000000`, good, manager)).status).toBe(404);
    for (const query of ['', '&period=2026-02-30', '&period=last-week', '&status=open', '&extra=1']) {
      const answer = await env.api.get(`/quality/reviews?marketplace=${query ? 'acme' : ''}${query}`, manager);
      expect({ query, status: answer.status }).toEqual({ query, status: 400 });
    }
    expect((await env.api.get('/quality/reviews?marketplace=nowhere', await env.api.token('admin', '*'))).status).toBe(404);
    expect((await env.allItems('audit')).length).toBe(trail);
    expect((await reviews(`&period=${weekStart.toISODate()}&status=pending`)).reviews).toHaveLength(3);
  });

  it('records each review on its ticket with an audit event, once, and puts the scores in the agent\'s KPI rows', async () => {
    const drawn = (await reviews(`&period=${weekStart.toISODate()}&status=pending`)).reviews as any[];
    const scores: Record<string, [number, number, number]> = {};
    for (const [index, review] of drawn.entries()) {
      const given = [5 - (index % 3), 4, 3 + (index % 2)] as [number, number, number];
      scores[review.ticketId] = given;
      const answer = await env.api.post(`/quality/reviews/${review.id}`, { courtesy: given[0], accuracy: given[1], process: given[2], comment: `review ${index}` }, manager);
      expect(answer.status).toBe(200);
      expect(answer.body.review).toMatchObject({ id: review.id, status: 'done', scores: { courtesy: given[0], accuracy: given[1], process: given[2] }, comment: `review ${index}`, reviewedBy: 'local-manager' });
    }
    const again = await env.api.post(`/quality/reviews/${drawn[0].id}`, { courtesy: 1, accuracy: 1, process: 1, comment: 'second opinion' }, manager);
    expect(again.status).toBe(409);

    const listed = await reviews(`&period=${weekStart.toISODate()}&status=done`);
    expect(listed.reviews).toHaveLength(3);
    expect((await reviews(`&period=${weekStart.toISODate()}&status=pending`)).reviews).toEqual([]);

    const auditor = await env.api.token('auditor', 'acme');
    for (const review of drawn) {
      const trail = await env.api.get(`/audit/tickets/${review.ticketId}`, auditor);
      expect(trail.body.chain.valid).toBe(true);
      const last = trail.body.events.at(-1);
      const [courtesy, accuracy, process] = scores[review.ticketId]!;
      expect(last).toMatchObject({ action: 'quality.reviewed', actor: { type: 'manager', id: 'local-manager' }, via: 'api' });
      expect(last.changes).toEqual([{ field: 'qualityReview', from: null, to: { reviewId: review.id, courtesy, accuracy, process, comment: expect.any(String), by: 'local-manager', at: expect.any(String) } }]);
    }

    await env.api.advance(MINUTE);
    const reviewWeek = DateTime.fromSeconds(await env.api.nowSeconds(), { zone: ZONE }).startOf('week').toISODate()!;
    const report = await env.api.get(`/reports/kpis?marketplace=acme&period=week&from=${reviewWeek}&groupBy=agent`, manager);
    expect(report.status).toBe(200);
    for (const agent of Object.keys(CLOSED_IN_WEEK)) {
      const given = drawn.filter((review) => review.agent === agent).map((review) => scores[review.ticketId]!);
      const total = given.flat().reduce((sum, score) => sum + score, 0);
      const row = report.body.rows.find((candidate: any) => candidate.group === agent && candidate.period === reviewWeek);
      expect(row.reviews.count).toBe(given.length);
      expect(row.reviews.meanScore).toEqual({ value: total / (3 * given.length), numerator: total, denominator: 3 * given.length });
      expect(row.reviews.courtesy.numerator).toBe(given.reduce((sum, [courtesy]) => sum + courtesy, 0));
    }
  });

  it('prints the draw and its reviews with `aftercare quality reviews`', async () => {
    const body = await reviews(`&period=${weekStart.toISODate()}`);
    const lines: string[] = [];
    const errors: string[] = [];
    const args = ['quality', 'reviews', '--marketplace', 'acme', '--period', weekStart.toISODate()!, '--url', env.api.baseUrl];
    expect(await runCli(args, { out: (line) => lines.push(line), err: (line) => errors.push(line) }, {})).toBe(0);
    expect(errors).toEqual([]);
    expect(lines.slice(0, 3)).toEqual([
      `Quality draw of acme, week ${body.period.start} to ${body.period.end} (exclusive), ${ZONE}: 5 %, seed ${body.draw.seed}`,
      '  alice: 2 of 21 closed',
      '  bob: 1 of 3 closed',
    ]);
    expect(lines[3]!.split(/\s{2,}/)).toEqual(['review', 'agent', 'status', 'courtesy/accuracy/process', 'reviewed by']);
    expect(lines.slice(4).map((line) => line.split(/\s{2,}/))).toEqual(
      body.reviews.map((review: any) => [review.id, review.agent, review.status, `${review.scores.courtesy}/${review.scores.accuracy}/${review.scores.process}`, 'local-manager']),
    );
    const bad = await runCli(['quality', 'reviews', '--marketplace', 'acme', '--status', 'open', '--url', env.api.baseUrl], { out: () => undefined, err: (line) => errors.push(line) }, {});
    expect(bad).toBe(2);
    expect(errors[0]).toContain('--status');
  });
});
