import { CHECKPOINT_EVERY_MINUTES } from '@infra/resources';
import { isMarketplaceEvent } from '@shared/audit/audit-record';
import type { AuditTrail } from '@shared/audit/audit-trail';
import type { Checkpoint, CheckpointStore } from '@shared/audit/checkpoints';
import type { Clock } from '@shared/clock';
import { logger } from '@shared/logger';

/**
 * Each run looks back over four periods, ending a minute ago (so transactions still in
 * flight have landed): overlapping windows, so one or two failed runs lose no chain, and no
 * watermark to keep. A head already checkpointed is written again with the same content.
 */
export const LOOK_BACK_MS = 4 * CHECKPOINT_EVERY_MINUTES * 60_000;
export const SETTLE_MS = 60_000;

export interface CheckpointChainHeadsDeps {
  readonly audit: Pick<AuditTrail, 'all'>;
  readonly checkpoints: Pick<CheckpointStore, 'put'>;
  readonly marketplaces: () => Promise<readonly string[]>;
  readonly clock: Clock;
}

/**
 * Scheduled: for every marketplace, reads the audit records of the window (Query on
 * `by-marketplace`), keeps the last one of each chain (ticket, or the marketplace's own) and
 * writes it as that chain's checkpoint to the locked bucket.
 */
export function createCheckpointChainHeads(deps: CheckpointChainHeadsDeps) {
  return async function checkpointChainHeads() {
    const nowMs = deps.clock.nowMs();
    const from = new Date(nowMs - LOOK_BACK_MS - SETTLE_MS).toISOString();
    const to = new Date(nowMs - SETTLE_MS).toISOString();
    const checkpointedAt = new Date(nowMs).toISOString();
    let written = 0;
    for (const marketplace of await deps.marketplaces()) {
      const heads = new Map<string, Checkpoint>();
      for await (const record of deps.audit.all({ marketplace, from, to })) {
        const chain = isMarketplaceEvent(record) ? { kind: 'marketplace' as const, id: marketplace } : { kind: 'ticket' as const, id: record.ticketId };
        const key = `${chain.kind}/${chain.id}`;
        const known = heads.get(key);
        if (known && known.seq >= record.seq) continue;
        heads.set(key, { chain: chain.kind, id: chain.id, marketplace, seq: record.seq, hash: record.hash, at: record.at, checkpointedAt });
      }
      for (const checkpoint of heads.values()) await deps.checkpoints.put(checkpoint);
      written += heads.size;
    }
    if (written) logger.info('chain heads checkpointed', { chains: written, from, to });
    return { checkpointed: written, from, to };
  };
}
