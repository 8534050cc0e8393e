import type { AuditRecord } from '@shared/audit/audit-record';
import type { Checkpoint } from '@shared/audit/checkpoints';
import { logger } from '@shared/logger';
import { createCheckpointChainHeads, LOOK_BACK_MS, SETTLE_MS } from '@functions/checkpoint-chain-heads/checkpoint-chain-heads';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const event = (ticketId: string, seq: number): AuditRecord => ({
  ticketId,
  marketplace: 'demo',
  seq,
  at: new Date(NOW - 10 * 60_000 + seq * 1000).toISOString(),
  actor: { type: 'system', id: 's' },
  via: 'workflow',
  action: 'x',
  changes: [],
  prevHash: 'p',
  hash: `${ticketId}-${seq}`,
});

describe('checkpoint-chain-heads', () => {
  it('checkpoints the last event of each chain changed in the window, tickets and the marketplace\'s own', async () => {
    jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    const written: Checkpoint[] = [];
    const queried: unknown[] = [];
    const run = createCheckpointChainHeads({
      clock: { nowMs: () => NOW, now: () => new Date(NOW) },
      marketplaces: async () => ['demo'],
      checkpoints: { put: async (checkpoint) => void written.push(checkpoint) },
      audit: {
        async *all(query) {
          queried.push(query);
          yield* [event('a', 3), event('b', 1), event('a', 4)];
          yield { chain: 'marketplace', marketplace: 'demo', seq: 2, at: new Date(NOW).toISOString(), actor: { type: 'auditor', id: 'x' }, via: 'api', action: 'audit.exported', details: {}, prevHash: 'p', hash: 'm-2' };
        },
      },
    });
    expect(await run()).toMatchObject({ checkpointed: 3 });
    expect(queried).toEqual([{ marketplace: 'demo', from: new Date(NOW - LOOK_BACK_MS - SETTLE_MS).toISOString(), to: new Date(NOW - SETTLE_MS).toISOString() }]);
    expect(written.map((checkpoint) => [checkpoint.chain, checkpoint.id, checkpoint.seq, checkpoint.hash])).toEqual([
      ['ticket', 'a', 4, 'a-4'],
      ['ticket', 'b', 1, 'b-1'],
      ['marketplace', 'demo', 2, 'm-2'],
    ]);
  });
});
