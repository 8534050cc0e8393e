import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { expectedRows, periodOf, projectRow, type Fact, type FactGroups } from '../../support/kpi-facts';
import { factsFromAuditExport } from '../../support/kpi-audit-reducer';
import { startInProcessStack, type InProcessStack } from '../../support/in-process-stack';
import { runCli } from '../../../cli/main';

const SECRET = 'acme-webhook-secret-0001';
const ZONE = 'Asia/Shanghai';
/**
 * Days and tickets per day. `npm test` runs 2 × 100 through the whole stack (workflows,
 * deadlines, aggregation); `KPI_TEST_DAYS=3 KPI_TEST_PER_DAY=10` runs 30 while working on it
 * (PER_DAY a multiple of 10). Each ticket costs about a second of machine time (its ~15 steps
 * drive workflows, deadlines, the stream and the scheduled jobs), so the size sets the time.
 */
const DAYS = Number(process.env.KPI_TEST_DAYS ?? 2);
const PER_DAY = Number(process.env.KPI_TEST_PER_DAY ?? 100);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** How long before the desk opens (09:00) the early complaints arrive: their first response waits that much less in working time. */
const EARLY = 20 * MINUTE;

const AGENTS = ['alice', 'bob'] as const;
const CATEGORIES = ['logistics', 'payment', 'order'] as const;
const CHANNELS = ['app', 'web'] as const;
/** Minutes to the first response by `k % 5`: the last wave answers after the 15-minute deadline. */
const RESPONSE_MINUTES = [5, 5, 10, 12, 40];
/** Survey answers by `k % 10` (6 never answers). */
const CSAT = [5, 4, 3, 5, 2, 4, undefined, 1, 5, 4];
const NPS = [10, 9, undefined, 6, 3, 8, undefined, 0, 9, 7];
/**
 * Next replies by `k % 10`: the customer's message and the public reply that meets it, after
 * the opening. 0 and 5 are answered in 10 minutes, 1 half an hour later (breach at 15
 * minutes), 2 by the resolution itself in time, 9 (reopened) by its second resolution an hour
 * later.
 */
const NEXT_REPLIES: Readonly<Record<number, { readonly messageAt: number; readonly replyAt: number; readonly by: 'reply' | 'resolve' }>> = {
  0: { messageAt: 70 * 60_000, replyAt: 80 * 60_000, by: 'reply' },
  5: { messageAt: 70 * 60_000, replyAt: 80 * 60_000, by: 'reply' },
  1: { messageAt: 70 * 60_000, replyAt: 100 * 60_000, by: 'reply' },
  2: { messageAt: 110 * 60_000, replyAt: 120 * 60_000, by: 'resolve' },
  9: { messageAt: 240 * 60_000, replyAt: 300 * 60_000, by: 'resolve' },
};
/** The next-reply limit (the SLA policy's default). */
const NEXT_REPLY_LIMIT = 15 * 60_000;

/**
 * One ticket of the scenario, by its index `k` within its day. Everyone is handled within
 * the hour; `k % 10` picks what else happens: 3 is escalated by its agent, 6 never answers
 * the survey, 7 stays unresolved past the 48 h deadline (breach, escalation to managers) and
 * is resolved two days later, 8 answers the survey two days late, 9 (high priority, opened at
 * the supervisors' tier) is reopened by the customer and resolved again. Customers write
 * while their complaint awaits resolution ({@link NEXT_REPLIES}), and the agent owes a reply
 * within 15 minutes.
 */
interface Planned {
  readonly reference: string;
  readonly k: number;
  readonly openedAt: number;
  readonly agent: (typeof AGENTS)[number];
  readonly category: (typeof CATEGORIES)[number];
  readonly channel: (typeof CHANNELS)[number];
  readonly priority: 'normal' | 'high';
  ticketId?: string;
}

interface Step {
  readonly at: number;
  readonly run: () => Promise<void>;
}

describe('KPI report over tickets across two agents, categories and days on the manual clock', () => {
  let env: InProcessStack;
  let plans: Planned[];
  let scenarioFacts: Fact[];
  let manager: string;
  let end: number;

  beforeAll(async () => {
    const configFile = join(mkdtempSync(join(tmpdir(), 'aftercare-kpi-')), 'config.json');
    // A calendar gives the zone the periods are counted in; the deadlines here run on calendar time.
    const hours = ['09:00-18:00'];
    const calendar = { timeZone: ZONE, week: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: hours, sun: hours } };
    const sla = { default: { clock: { firstResponse: 'calendar', initialHandling: 'calendar', resolution: 'calendar' } } };
    writeFileSync(configFile, JSON.stringify({ marketplaces: { acme: { webhookSecrets: [SECRET], calendar, sla } } }));
    env = await startInProcessStack({ configFile });
    const tokens = Object.fromEntries(
      await Promise.all(AGENTS.map(async (agent) => [agent, (await env.api.post('/_local/tokens', { role: 'agent', marketplace: 'acme', subject: agent })).body.token as string])),
    ) as Record<(typeof AGENTS)[number], string>;
    manager = await env.api.token('manager', 'acme');

    // Day 0 starts at 09:00 in the marketplace's zone, on the first such morning ahead of the clock.
    const now = Date.parse((await env.api.get('/_local/clock')).body.now);
    const firstMorning = DateTime.fromMillis(now, { zone: ZONE }).plus({ days: 1 }).startOf('day').plus({ hours: 9 }).toMillis();
    plans = [];
    for (let day = 0; day < DAYS; day += 1) {
      for (let k = 0; k < PER_DAY; k += 1) {
        plans.push({
          reference: `kpi-${day}-${k}`,
          k,
          // Every tenth ticket (the slowest wave of responses) arrives 20 minutes before the desk opens.
          openedAt: firstMorning + day * DAY - (k % 10 === 4 ? EARLY : 0),
          agent: AGENTS[k % 2]!,
          category: CATEGORIES[k % 3]!,
          channel: CHANNELS[Math.floor(k / 2) % 2]!,
          priority: k % 10 === 9 ? 'high' : 'normal',
        });
      }
    }

    const steps = plans.flatMap((plan) => stepsOf(plan, tokens));
    end = Math.max(...steps.map((step) => step.at)) + HOUR;
    await runInTimeOrder(steps, now, end);
    scenarioFacts = plans.flatMap(factsOf);
  }, 1_800_000);

  afterAll(async () => {
    await env?.stop();
  });

  function stepsOf(plan: Planned, tokens: Record<string, string>): Step[] {
    const at = (ms: number, run: () => Promise<void>): Step => ({ at: plan.openedAt + ms, run });
    const act = (type: string) => async () => {
      const answer = await env.api.post(`/tickets/${plan.ticketId}/actions`, { type, message: `${type} by ${plan.agent}` }, tokens[plan.agent]);
      expect({ reference: plan.reference, type, status: answer.status }).toEqual({ reference: plan.reference, type, status: 200 });
    };
    const customer = (type: string, data: Record<string, unknown> = {}) => async () => {
      const now = new Date(Date.parse((await env.api.get('/_local/clock')).body.now)).toISOString();
      const body = { id: `evt-${plan.reference}-${type}-${now}`, type, occurredAt: now, data: { reference: plan.reference, ...data } };
      expect((await env.api.sendWebhook('acme', SECRET, JSON.stringify(body))).status).toBe(202);
    };
    const survey = () => customer('survey.answered', { csat: CSAT[plan.k % 10], ...(NPS[plan.k % 10] === undefined ? {} : { nps: NPS[plan.k % 10] }) });
    const group = plan.k % 10;
    const steps = [
      at(0, async () => {
        const body = {
          id: `evt-${plan.reference}`,
          type: 'complaint.created',
          occurredAt: new Date(plan.openedAt).toISOString(),
          data: {
            reference: plan.reference,
            orderId: `order-${plan.reference}`,
            customerRef: `cust-${plan.reference}`,
            channel: plan.channel,
            category: plan.category,
            priority: plan.priority,
            subject: 'A complaint',
            description: 'Something went wrong.',
          },
        };
        const answer = await env.api.sendWebhook('acme', SECRET, JSON.stringify(body));
        expect(answer.status).toBe(202);
        plan.ticketId = answer.body.ticketId;
      }),
      at(RESPONSE_MINUTES[plan.k % 5]! * MINUTE, act('respond')),
      at(HOUR, act('handle')),
    ];
    if (group === 3) steps.push(at(30 * MINUTE, act('escalate')));
    const nextReply = NEXT_REPLIES[group];
    if (nextReply) {
      steps.push(at(nextReply.messageAt, customer('complaint.customer_replied', { message: 'Any news?' })));
      // A resolution that meets the reply is the ticket's own step, planned below.
      if (nextReply.by === 'reply') steps.push(at(nextReply.replyAt, act('reply')));
    }
    if (group === 7) {
      steps.push(at(50 * HOUR, act('resolve')), at(51 * HOUR, customer('complaint.customer_confirmed')), at(52 * HOUR, survey()));
      return steps;
    }
    steps.push(at(2 * HOUR, act('resolve')));
    if (group === 9) {
      steps.push(
        at(3 * HOUR, customer('complaint.reopened', { reason: 'still broken' })),
        at(5 * HOUR, act('resolve')),
        at(6 * HOUR, customer('complaint.customer_confirmed')),
        at(7 * HOUR, survey()),
      );
      return steps;
    }
    steps.push(at(3 * HOUR, customer('complaint.customer_confirmed')));
    if (group === 8) steps.push(at(51 * HOUR, survey()));
    else if (group !== 6) steps.push(at(4 * HOUR, survey()));
    return steps;
  }

  /** Moves the manual clock to each step's time (firing the deadlines in between) and runs the steps due then. */
  async function runInTimeOrder(steps: readonly Step[], start: number, until: number): Promise<void> {
    let now = start;
    const times = [...new Set(steps.map((step) => step.at))].sort((a, b) => a - b);
    for (const time of times) {
      await env.api.advance((time - now) / 1000);
      now = time;
      const due = steps.filter((step) => step.at === time);
      for (let index = 0; index < due.length; index += 8) await Promise.all(due.slice(index, index + 8).map((step) => step.run()));
    }
    await env.api.advance((until - now) / 1000);
  }

  /** What the scenario makes each ticket contribute, written from the plan alone. */
  function factsOf(plan: Planned): Fact[] {
    const group = plan.k % 10;
    const openingTier = plan.priority === 'high' ? 1 : 0;
    const tierAt = (ms: number) => (group === 3 && ms > 30 * MINUTE ? 1 : group === 7 && ms > 48 * HOUR ? 2 : openingTier);
    const responseMs = RESPONSE_MINUTES[plan.k % 5]! * MINUTE;
    const base = { category: plan.category, priority: plan.priority, channel: plan.channel };
    const cohort: FactGroups = { ...base, agent: plan.agent, tier: String(openingTier) };
    // Activity at the tier before the event, and the agent once they responded.
    const activity = (ms: number): FactGroups => ({ ...base, agent: ms >= responseMs ? plan.agent : 'unassigned', tier: String(tierAt(ms)) });
    const fact = (ms: number, figure: string, value?: number): Fact => ({ at: plan.openedAt + ms, groups: activity(ms), figure, value });
    const facts: Fact[] = [
      { at: plan.openedAt, groups: cohort, figure: 'opened' },
      { at: plan.openedAt, groups: cohort, figure: 'handledOnTime' },
      fact(responseMs, 'firstResponse', responseMs),
      fact(responseMs, 'firstResponseBusiness', responseMs - (group === 4 ? EARLY : 0)),
    ];
    const cohortFact = (figure: string) => facts.push({ at: plan.openedAt, groups: cohort, figure });
    if (responseMs <= 15 * MINUTE) facts.push(fact(responseMs, 'firstResponseOnTime'));
    else facts.push(fact(15 * MINUTE, 'breach:firstResponse'));
    if (group !== 7) cohortFact('resolvedOnTime');
    if (group !== 9) cohortFact('resolvedNotReopened');
    if (group === 3 || group === 7) cohortFact('escalated');
    if (group === 9) cohortFact('reopened');
    if (group === 3) facts.push(fact(30 * MINUTE, 'escalation'));
    if (group === 7) facts.push(fact(48 * HOUR, 'breach:resolution'), fact(48 * HOUR, 'escalation'), fact(50 * HOUR, 'resolved'));
    else facts.push(fact(2 * HOUR, 'resolved'));
    if (group === 9) facts.push(fact(3 * HOUR, 'reopening'), fact(5 * HOUR, 'resolved'));
    const nextReply = NEXT_REPLIES[group];
    if (nextReply) {
      const waitMs = nextReply.replyAt - nextReply.messageAt;
      facts.push(fact(nextReply.replyAt, 'nextReply', waitMs));
      if (waitMs <= NEXT_REPLY_LIMIT) facts.push(fact(nextReply.replyAt, 'nextReplyOnTime'));
      else facts.push(fact(nextReply.messageAt + NEXT_REPLY_LIMIT, 'breach:nextReply'));
    }
    const surveyAt = group === 7 ? 52 * HOUR : group === 9 ? 7 * HOUR : group === 8 ? 51 * HOUR : group === 6 ? undefined : 4 * HOUR;
    if (surveyAt !== undefined) {
      facts.push(fact(surveyAt, 'closed'), fact(surveyAt, 'csat', CSAT[group]));
      if (NPS[group] !== undefined) facts.push(fact(surveyAt, 'nps', NPS[group]));
    }
    return facts;
  }

  const report = async (query: string, token = manager) => {
    const answer = await env.api.get(`/reports/kpis?marketplace=acme&${query}`, token);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const firstDay = () => periodOf('day', plans[0]!.openedAt, ZONE);
  const afterEnd = () => DateTime.fromMillis(end, { zone: ZONE }).plus({ days: 1 }).toISODate()!;
  const periodsBetween = (period: 'day' | 'week' | 'month', from: string, to: string) => {
    const starts: string[] = [];
    for (let at = DateTime.fromISO(from, { zone: ZONE }).startOf(period); at.toISODate()! < to; at = at.plus({ [`${period}s`]: 1 })) starts.push(at.toISODate()!);
    return starts;
  };

  const cases = (['day', 'week', 'month'] as const).flatMap((period) =>
    ([undefined, 'agent', 'tier', 'category', 'priority', 'channel'] as const).map((groupBy) => [period, groupBy ?? 'none'] as const),
  );

  it.each(cases)('per %s, grouped by %s: every figure as the scenario made it', async (period, groupBy) => {
    const from = firstDay();
    const to = afterEnd();
    const body = await report(`period=${period}&from=${from}&to=${to}${groupBy === 'none' ? '' : `&groupBy=${groupBy}`}`);
    expect(body).toMatchObject({ timeZone: ZONE, period, groupBy: groupBy === 'none' ? null : groupBy });
    const periods = periodsBetween(period, from, to);
    const expected = expectedRows(scenarioFacts, { period, zone: ZONE, groupBy: groupBy === 'none' ? undefined : groupBy, periods });
    expect(body.rows.map(projectRow)).toEqual(expected);
  });

  it('counts the scenario as planned: sizes no figure could hide', async () => {
    const body = await report(`period=year&from=${firstDay()}&to=${afterEnd()}`);
    const total = body.rows.reduce((sum: number, row: any) => sum + row.volume.opened, 0);
    expect(total).toBe(DAYS * PER_DAY);
    const breaches = body.rows.reduce((sum: number, row: any) => sum + row.breaches.firstResponse, 0);
    expect(breaches).toBe(DAYS * (PER_DAY / 5));
    const sum = (figure: (row: any) => number) => body.rows.reduce((total: number, row: any) => total + figure(row), 0);
    // Five of every ten tickets get a next reply, two of them late.
    expect(sum((row) => row.nextReply.count)).toBe(DAYS * (PER_DAY / 2));
    expect(sum((row) => row.nextReply.onTime.numerator)).toBe(DAYS * (PER_DAY / 10) * 3);
    expect(sum((row) => row.breaches.nextReply)).toBe(DAYS * (PER_DAY / 5));
    expect(sum((row) => row.nextReply.meanSeconds.numerator)).toBe(DAYS * (PER_DAY / 10) * (600 + 600 + 1800 + 600 + 3600));
  });

  it('recomputes every figure from the NDJSON audit export with an independent reducer, and finds the same', async () => {
    const auditor = await env.api.token('auditor', 'acme');
    const facts = await factsFromAuditExport(env.api, auditor, 'acme', plans[0]!.openedAt - HOUR, end + HOUR);
    for (const [period, groupBy] of cases) {
      const from = firstDay();
      const to = afterEnd();
      const body = await report(`period=${period}&from=${from}&to=${to}${groupBy === 'none' ? '' : `&groupBy=${groupBy}`}`);
      const expected = expectedRows(facts, { period, zone: ZONE, groupBy: groupBy === 'none' ? undefined : groupBy, periods: periodsBetween(period, from, to) });
      expect({ period, groupBy, rows: body.rows.map(projectRow) }).toEqual({ period, groupBy, rows: expected });
    }
  });

  it('gives the same rows as CSV, one line each, with numerators and denominators', async () => {
    const query = `period=day&from=${firstDay()}&to=${afterEnd()}&groupBy=agent`;
    const json = await report(query);
    const response = await fetch(`${env.api.baseUrl}/reports/kpis?marketplace=acme&${query}&format=csv`, { headers: { authorization: `Bearer ${manager}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const [header, ...lines] = (await response.text()).trimEnd().split('\r\n');
    const columns = header!.split(',');
    expect(lines).toHaveLength(json.rows.length);
    const cell = (line: string, name: string) => line.split(',')[columns.indexOf(name)];
    json.rows.forEach((row: any, index: number) => {
      expect(cell(lines[index]!, 'period')).toBe(row.period);
      expect(cell(lines[index]!, 'group')).toBe(row.group);
      expect(Number(cell(lines[index]!, 'resolutionRate.numerator'))).toBe(row.resolutionRate.numerator);
      expect(Number(cell(lines[index]!, 'resolutionRate.denominator'))).toBe(row.resolutionRate.denominator);
      expect(Number(cell(lines[index]!, 'firstResponse.onTime.numerator'))).toBe(row.firstResponse.onTime.numerator);
    });
  });

  it('prints the report as a table with `aftercare report kpis`', async () => {
    const lines: string[] = [];
    const errors: string[] = [];
    const args = ['report', 'kpis', '--marketplace', 'acme', '--period', 'month', '--group-by', 'agent', '--from', firstDay(), '--to', afterEnd(), '--url', env.api.baseUrl];
    const status = await runCli(args, { out: (line) => lines.push(line), err: (line) => errors.push(line) }, {});
    expect({ status, errors }).toEqual({ status: 0, errors: [] });
    const json = await report(`period=month&from=${firstDay()}&to=${afterEnd()}&groupBy=agent`);
    expect(lines[0]).toBe(`KPIs of acme per month and agent, ${json.from} to ${json.to} (exclusive), ${ZONE}`);
    expect(lines[1]!.split(/\s{2,}/).slice(0, 5)).toEqual(['period', 'agent', 'opened', 'resolved', 'first resp. on time']);
    expect(lines).toHaveLength(2 + json.rows.length);
    json.rows.forEach((row: any, index: number) => {
      const onTime = row.firstResponse.onTime;
      const cells = lines[2 + index]!.split(/\s{2,}/);
      expect(cells.slice(0, 5)).toEqual([
        row.period,
        row.group,
        String(row.volume.opened),
        String(row.volume.resolved),
        onTime.value === null ? '-' : `${(100 * onTime.value).toFixed(1)}% ${onTime.numerator}/${onTime.denominator}`,
      ]);
      const replies = row.nextReply.onTime;
      const header = lines[1]!.split(/\s{2,}/);
      expect(cells[header.indexOf('next reply on time')]).toBe(replies.value === null ? '-' : `${(100 * replies.value).toFixed(1)}% ${replies.numerator}/${replies.denominator}`);
    });
  });

  it('refuses bad parameters with a 400 naming them, and writes nothing', async () => {
    for (const query of ['period=fortnight', 'groupBy=weather', 'from=2026-13-01', 'from=2026-03-02&to=2026-03-01', 'from=2020-01-01&to=2026-01-01&period=day', 'extra=1']) {
      const answer = await env.api.get(`/reports/kpis?marketplace=acme&${query}`, manager);
      expect({ query, status: answer.status }).toEqual({ query, status: 400 });
    }
    expect((await env.api.get('/reports/kpis?marketplace=nowhere', await env.api.token('admin', '*'))).status).toBe(404);
    expect((await env.api.get('/reports/kpis?marketplace=acme', await env.api.token('agent', 'acme'))).status).toBe(403);
  });
});
