import { createHash, createHmac } from 'node:crypto';

/** A closed complaint the draw may pick: its agent when it closed. */
export interface Candidate {
  readonly ticketId: string;
  readonly agent: string;
}

/** One agent's part of a draw. */
export interface AgentDraw {
  readonly agent: string;
  /** Complaints the agent closed in the period. */
  readonly closed: number;
  /** SHA-256 (hex) of the agent's closed ticket ids, sorted and joined by newlines: what the draw picked from. */
  readonly candidatesHash: string;
  /** The picked ticket ids, in draw order (lowest rank first). */
  readonly drawn: readonly string[];
}

/**
 * How many of `closed` complaints a draw picks: the share rounded up, so an agent with any
 * closed complaint gets at least one reviewed. (Rounded to 6 decimals first, so 5 % of 60 is 3, not 4.)
 */
export function sampleSize(closed: number, share: number): number {
  if (closed === 0) return 0;
  return Math.min(closed, Math.ceil(Math.round(share * closed * 1e6) / 1e6));
}

/** A ticket's place in a draw: HMAC-SHA256 of its id under the draw's seed (hex); the lowest are picked. */
export function drawRank(seed: string, ticketId: string): string {
  return createHmac('sha256', seed).update(ticketId).digest('hex');
}

/**
 * The draw: per agent, the `sampleSize` tickets of lowest {@link drawRank}. Nobody chooses:
 * the seed is random and recorded with the result, so anyone holding the seed and the
 * period's closed complaints (from the audit trail) picks the very same tickets again, e.g.
 * `printf %s tkt_… | openssl dgst -sha256 -hmac <seed>` for each and sorting.
 * Tickets closed with no agent (`unassigned`) are not drawn.
 */
export function drawSample(candidates: readonly Candidate[], share: number, seed: string, unassigned: string): AgentDraw[] {
  const byAgent = new Map<string, string[]>();
  for (const candidate of candidates) {
    if (candidate.agent === unassigned) continue;
    byAgent.set(candidate.agent, [...(byAgent.get(candidate.agent) ?? []), candidate.ticketId]);
  }
  return [...byAgent]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([agent, ids]) => {
      const sorted = [...new Set(ids)].sort();
      const ranked = sorted.map((ticketId) => ({ ticketId, rank: drawRank(seed, ticketId) })).sort((a, b) => a.rank.localeCompare(b.rank));
      return {
        agent,
        closed: sorted.length,
        candidatesHash: createHash('sha256').update(sorted.join('\n')).digest('hex'),
        drawn: ranked.slice(0, sampleSize(sorted.length, share)).map((entry) => entry.ticketId),
      };
    });
}
