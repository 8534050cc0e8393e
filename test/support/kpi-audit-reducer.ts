import { DateTime } from 'luxon';
import type { StackClient } from './http-client';
import type { Fact, FactGroups } from './kpi-facts';

interface ExportedEvent {
  ticketId?: string;
  chain?: string;
  seq: number;
  at: string;
  actor: { type: string; id: string };
  action: string;
  reason?: string;
  changes?: { field: string; from: any; to: any }[];
}

const DAY_MS = 86_400_000;

/**
 * An auditor's recomputation of the KPI facts from `GET /audit/export` (NDJSON), written apart
 * from the aggregator: it reads actions and their reasons ("after its deadline: …",
 * "<metric> was due at …") where the aggregator reads field changes, so the two agree only
 * if the trail and the counters do.
 */
export async function factsFromAuditExport(api: StackClient, token: string, marketplace: string, fromMs: number, toMs: number): Promise<Fact[]> {
  const events: ExportedEvent[] = [];
  // A day at a time: an export is limited to 5 MB.
  for (let start = fromMs; start < toMs; start += DAY_MS) {
    const range = `from=${new Date(start).toISOString()}&to=${new Date(Math.min(start + DAY_MS, toMs)).toISOString()}`;
    const response = await fetch(`${api.baseUrl}/audit/export?marketplace=${marketplace}&${range}&format=ndjson`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 200) throw new Error(`export failed: ${response.status} ${await response.text()}`);
    for (const line of (await response.text()).split('\n')) if (line.trim()) events.push(JSON.parse(line) as ExportedEvent);
  }
  const byTicket = new Map<string, ExportedEvent[]>();
  for (const event of events) {
    if (event.chain === 'marketplace' || !event.ticketId) continue;
    byTicket.set(event.ticketId, [...(byTicket.get(event.ticketId) ?? []), event]);
  }
  return [...byTicket.values()].flatMap((trail) => ticketFacts(trail.sort((a, b) => a.seq - b.seq)));
}

function ticketFacts(trail: readonly ExportedEvent[]): Fact[] {
  const opening = trail[0]!;
  if (opening.seq !== 1 || opening.action !== 'ticket.created') throw new Error(`trail of ${opening.ticketId} does not start with its opening`);
  const initial = (field: string) => opening.changes?.find((change) => change.field === field)?.to;
  if (initial('kind') !== 'complaint') return [];
  const openedMs = Date.parse(opening.at);
  const fixed = { category: String(initial('category')), priority: String(initial('priority')), channel: String(initial('channel')) };
  const openingTier = Number(initial('escalationTier'));
  const calendar = initial('calendar') as Calendar | undefined;
  let tier = openingTier;
  let agent = 'unassigned';
  let stage = String(initial('stage'));
  let reopened = false;
  let escalated = false;
  let resolvedEver = false;
  let handledOnTime = false;
  let resolvedOnTime = false;
  let surveyed = false;
  // A next reply owed since a customer's message (ms), and whether its breach was recorded.
  let replyOwedSince: number | undefined;
  let replyLate = false;
  const facts: Fact[] = [];

  for (const event of trail.slice(1)) {
    const changed = (field: string) => event.changes?.find((change) => change.field === field);
    const stageChange = changed('stage');
    const tierBefore = tier;
    if (stageChange && ['agent', 'merchant', 'manager', 'admin'].includes(event.actor.type)) agent = event.actor.id;
    if (event.action === 'ticket.assigned') agent = String(changed('assignee')?.to);
    const groups: FactGroups = { ...fixed, agent, tier: String(tierBefore) };
    const fact = (figure: string, value?: number) => facts.push({ at: Date.parse(event.at), groups, figure, value });
    const late = (metric: string) => (event.reason ?? '').startsWith('after its deadline:') && event.reason!.includes(metric);

    if (event.action === 'ticket.responded') {
      fact('firstResponse', Date.parse(event.at) - openedMs);
      if (calendar) fact('firstResponseBusiness', workingMsBetween(calendar, openedMs, Date.parse(event.at)));
      if (!late('firstResponse')) fact('firstResponseOnTime');
    }
    if (event.action === 'ticket.handled') handledOnTime = !late('initialHandling');
    if (event.action === 'ticket.resolved') {
      fact('resolved');
      resolvedEver = true;
      resolvedOnTime = !late('resolution');
    }
    if (event.action === 'sla.breached') {
      fact(`breach:${(event.reason ?? '').split(' ')[0]}`);
      if ((event.reason ?? '').startsWith('resolution ')) resolvedOnTime = false;
      if ((event.reason ?? '').startsWith('nextReply ')) replyLate = true;
    }
    // Any public reply answers the customer's message; a message owes one while the agent works the case.
    if (replyOwedSince !== undefined && PUBLIC_REPLIES.has(event.action)) {
      fact('nextReply', Date.parse(event.at) - replyOwedSince);
      if (!replyLate && !late('nextReply')) fact('nextReplyOnTime');
      replyOwedSince = undefined;
      replyLate = false;
    }
    const stageAfter = stageChange ? String(stageChange.to) : stage;
    if (event.action === 'customer.replied' && replyOwedSince === undefined && ['awaiting_handling', 'awaiting_resolution'].includes(stageAfter)) {
      replyOwedSince = Date.parse(event.at);
    }
    const tierChange = changed('escalationTier');
    if (tierChange && Number(tierChange.to) > Number(tierChange.from)) {
      fact('escalation');
      escalated = true;
      tier = Number(tierChange.to);
    }
    if (event.action === 'customer.reopened' && stageChange) {
      fact('reopening');
      reopened = true;
      resolvedOnTime = false;
    }
    if (event.action === 'survey.answered' && !surveyed) {
      const survey = changed('facts')?.to?.survey;
      if (survey) {
        surveyed = true;
        fact('csat', survey.csat);
        if (typeof survey.nps === 'number') fact('nps', survey.nps);
      }
    }
    if (stageChange) stage = String(stageChange.to);
    if (stageChange && stage === 'closed') fact('closed');
  }

  const cohort: FactGroups = { ...fixed, agent, tier: String(openingTier) };
  const cohortFact = (figure: string) => facts.push({ at: openedMs, groups: cohort, figure });
  cohortFact('opened');
  if (handledOnTime) cohortFact('handledOnTime');
  if (resolvedOnTime) cohortFact('resolvedOnTime');
  if (resolvedEver && !reopened) cohortFact('resolvedNotReopened');
  if (escalated) cohortFact('escalated');
  if (reopened) cohortFact('reopened');
  return facts;
}

const PUBLIC_REPLIES = new Set(['ticket.responded', 'ticket.handled', 'ticket.resolved', 'ticket.paused', 'ticket.replied']);

interface Calendar {
  timeZone: string;
  week: Record<string, string[]>;
  holidays: string[];
  extraWorkdays: string[];
  extraWorkdayHours: string;
}

/** Working milliseconds between two instants, day by day in the calendar's zone: the overlap with each day's hours. */
function workingMsBetween(calendar: Calendar, fromMs: number, toMs: number): number {
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  let total = 0;
  for (let day = DateTime.fromMillis(fromMs, { zone: calendar.timeZone }).startOf('day'); day.toMillis() < toMs; day = day.plus({ days: 1 })) {
    const date = day.toISODate()!;
    const weekday = calendar.extraWorkdays.includes(date) ? calendar.extraWorkdayHours : calendar.holidays.includes(date) ? undefined : weekdays[day.weekday - 1]!;
    for (const hours of weekday ? (calendar.week[weekday] ?? []) : []) {
      const [opens, closes] = hours.split('-').map((time) => day.plus({ hours: Number(time.slice(0, 2)), minutes: Number(time.slice(3, 5)) }).toMillis());
      total += Math.max(0, Math.min(closes!, toMs) - Math.max(opens!, fromMs));
    }
  }
  return total;
}
