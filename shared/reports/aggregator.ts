import type { AuditEvent } from '@shared/audit/audit-event';
import { AftercareError } from '@shared/errors';
import { reduceAuditEvent } from './kpi-ticket';
import type { KpiStore } from './kpi-store';
import type { TrailRange } from './trail-range';

/** An audit trail the aggregator cannot read as a ticket's (its first event opens no ticket). */
export class UnreadableTrailError extends AftercareError {}

/** Rounds of "another run was first" before an event is handed back to the stream for a retry. */
const MAX_ATTEMPTS = 10;

/** What became of one audit event. */
export type Aggregated = 'applied' | 'already_applied';

export interface KpiAggregatorDeps {
  readonly store: KpiStore;
  /** Events the stream has not brought yet (or not in order), read from the trail itself. */
  readonly trail: TrailRange;
  /** The IANA zone a marketplace's periods are counted in. */
  readonly timeZoneOf: (marketplace: string) => Promise<string>;
}

/**
 * Folds audit events into the KPI counters exactly once each. Every ticket's events are
 * applied in sequence order, each in one transaction with the ticket's state conditioned on
 * the sequence before it: a redelivered event (already applied) changes nothing, and an
 * event that arrives before its predecessors (another stream shard, a batch that failed)
 * first applies the missing ones, read from the trail. A crash between two transactions
 * leaves the counters as of the last one; the redelivery goes on from there.
 */
export class KpiAggregator {
  constructor(private readonly deps: KpiAggregatorDeps) {}

  async add(event: AuditEvent): Promise<Aggregated> {
    for (let attempt = 1; ; attempt += 1) {
      const known = await this.deps.store.ticket(event.ticketId);
      const lastSeq = known?.lastSeq ?? 0;
      if (event.seq <= lastSeq) return 'already_applied';
      const pending = event.seq === lastSeq + 1 ? [event] : await this.deps.trail(event.ticketId, lastSeq + 1, event.seq);
      if (pending.length !== event.seq - lastSeq) {
        throw new UnreadableTrailError(`ticket ${event.ticketId}: events ${lastSeq + 1}..${event.seq} are not all in the trail`);
      }
      if (await this.applyInOrder(known, pending)) return 'applied';
      // Another run moved the ticket on meanwhile: read again and go on from where it is.
      if (attempt >= MAX_ATTEMPTS) throw new AftercareError(`ticket ${event.ticketId}: state kept moving under event ${event.seq}`);
    }
  }

  private async applyInOrder(known: Awaited<ReturnType<KpiStore['ticket']>>, events: readonly AuditEvent[]): Promise<boolean> {
    let current = known;
    for (const event of events) {
      const reduced = reduceAuditEvent(current, event);
      if (!reduced) throw new UnreadableTrailError(`ticket ${event.ticketId}: event ${event.seq} (${event.action}) opens no ticket`);
      const zone = await this.deps.timeZoneOf(event.marketplace);
      if (!(await this.deps.store.apply(current, reduced.ticket, reduced.deltas, zone))) return false;
      current = reduced.ticket;
    }
    return true;
  }
}
