import type { AuditEvent, FieldChange } from '@shared/audit/audit-event';
import { reduceAuditEvent, type CounterDelta, type KpiTicket } from '@shared/reports/kpi-ticket';

const OPENED = Date.parse('2026-03-02T01:00:00.000Z');
const at = (minutes: number) => new Date(OPENED + minutes * 60_000).toISOString();
const due = { firstResponse: { dueAt: at(15) }, initialHandling: { dueAt: at(24 * 60) }, resolution: { dueAt: at(48 * 60) } };

type Step = [action: string, minutes: number, actor: AuditEvent['actor'], changes: FieldChange[]];

/** A complaint's trail as the ticket repository writes it: assigned to bob, escalated to the supervisors' pool by a breach, taken by sam. */
const trail: Step[] = [
  [
    'ticket.created',
    0,
    { type: 'marketplace', id: 'acme' },
    [
      { field: 'kind', from: null, to: 'complaint' },
      { field: 'createdAt', from: null, to: at(0) },
      { field: 'category', from: null, to: 'logistics' },
      { field: 'priority', from: null, to: 'normal' },
      { field: 'channel', from: null, to: 'app' },
      { field: 'escalationTier', from: null, to: 0 },
      { field: 'stage', from: null, to: 'awaiting_first_response' },
      { field: 'deadlines', from: null, to: due },
      { field: 'breaches', from: null, to: [] },
    ],
  ],
  ['ticket.assigned', 2, { type: 'manager', id: 'mia' }, [{ field: 'assignee', from: null, to: 'bob' }]],
  [
    'sla.breached',
    15,
    { type: 'system', id: 'workflow' },
    [
      { field: 'assignee', from: 'bob', to: null },
      { field: 'breaches', from: [], to: [{ metric: 'firstResponse', dueAt: due.firstResponse.dueAt }] },
      { field: 'escalationTier', from: 0, to: 1 },
    ],
  ],
  ['ticket.assigned', 20, { type: 'manager', id: 'sam' }, [{ field: 'assignee', from: null, to: 'sam' }]],
  [
    'ticket.responded',
    25,
    { type: 'manager', id: 'sam' },
    [
      { field: 'stage', from: 'awaiting_first_response', to: 'awaiting_handling' },
      { field: 'deadlines', from: due, to: { ...due, firstResponse: { ...due.firstResponse, breachedAt: at(15), metAt: at(25) } } },
    ],
  ],
];

function replay(steps: readonly Step[]) {
  let ticket: KpiTicket | undefined;
  const deltas: CounterDelta[][] = [];
  const agents: string[] = [];
  steps.forEach(([action, minutes, actor, changes], index) => {
    const event = { ticketId: 'tkt-1', marketplace: 'acme', seq: index + 1, at: at(minutes), actor, via: 'api', action, changes, prevHash: '', hash: '' } as AuditEvent;
    const reduced = reduceAuditEvent(ticket, event)!;
    ticket = reduced.ticket;
    deltas.push(reduced.deltas);
    agents.push(ticket.agent);
  });
  return { deltas, agents };
}

/** What one event's deltas add to each agent's counters (cohort take-backs and put-agains summed). */
function byAgent(deltas: readonly CounterDelta[]): Record<string, Record<string, number>> {
  const sums: Record<string, Record<string, number>> = {};
  for (const delta of deltas) {
    const counters = (sums[delta.groups.agent] ??= {});
    for (const [name, value] of Object.entries(delta.counters)) counters[name] = (counters[name] ?? 0) + value;
  }
  return Object.fromEntries(
    Object.entries(sums)
      .map(([agent, counters]) => [agent, Object.fromEntries(Object.entries(counters).filter(([, value]) => value !== 0))] as const)
      .filter(([, counters]) => Object.keys(counters).length > 0),
  );
}

describe('the KPI agent of a complaint escalated to a pool', () => {
  const { deltas, agents } = replay(trail);

  it('stays the assigned agent when the escalation clears the assignee, until someone in the pool takes the ticket', () => {
    expect(agents).toEqual(['unassigned', 'bob', 'bob', 'sam', 'sam']);
  });

  it('counts the breach and the escalation for the agent who missed the deadline, at the tier that missed it', () => {
    const activity = deltas[2]!.filter((delta) => delta.at === at(15));
    expect(activity).toEqual([
      { at: at(15), groups: { agent: 'bob', tier: '0', category: 'logistics', priority: 'normal', channel: 'app' }, counters: { escalations: 1, breaches: 1, breach_firstResponse: 1 } },
    ]);
    expect(byAgent(deltas[2]!.filter((delta) => delta.at === at(0)))).toEqual({ bob: { escalated: 1 } });
  });

  it('moves the ticket-based rates to whoever takes it from the pool, and counts their late first response for them', () => {
    // The assignment takes bob's cohort counters back and puts them on sam.
    expect(byAgent(deltas[3]!)).toEqual({ bob: { opened: -1, escalated: -1 }, sam: { opened: 1, escalated: 1 } });
    const response = deltas[4]!.filter((delta) => delta.at === at(25));
    expect(response.map((delta) => [delta.groups.agent, delta.groups.tier, delta.counters])).toEqual([
      ['sam', '1', { frCount: 1, frTotalMs: 25 * 60_000, frBucket24: 1 }],
    ]);
  });
});
