import { createHash } from 'node:crypto';
import { drawRank, drawSample, sampleSize } from '@shared/quality/draw';
import { qualityConfigSchema } from '@shared/quality/quality-config';

const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `tkt_${prefix}${String(index).padStart(4, '0')}`);

describe('quality draw', () => {
  it.each([
    [0, 0.05, 0],
    [1, 0.05, 1],
    [19, 0.05, 1],
    [20, 0.05, 1],
    [21, 0.05, 2],
    [60, 0.05, 3],
    [61, 0.05, 4],
    [3, 1, 3],
    [10, 0.25, 3],
  ])('picks ⌈share × closed⌉ of %i closed at %d: %i', (closed, share, expected) => {
    expect(sampleSize(closed, share)).toBe(expected);
  });

  it('picks, per agent, the tickets of lowest HMAC rank under the seed, whatever order they come in', () => {
    const alice = ids('a', 40);
    const bob = ids('b', 3);
    const candidates = [...alice.map((ticketId) => ({ ticketId, agent: 'alice' })), ...bob.map((ticketId) => ({ ticketId, agent: 'bob' })), { ticketId: 'tkt_x', agent: 'unassigned' }];
    const draw = drawSample(candidates, 0.05, 'seed-1', 'unassigned');
    const lowest = (list: string[], count: number) => [...list].sort((a, b) => drawRank('seed-1', a).localeCompare(drawRank('seed-1', b))).slice(0, count);
    expect(draw).toEqual([
      { agent: 'alice', closed: 40, candidatesHash: createHash('sha256').update(alice.join('\n')).digest('hex'), drawn: lowest(alice, 2) },
      { agent: 'bob', closed: 3, candidatesHash: createHash('sha256').update(bob.join('\n')).digest('hex'), drawn: lowest(bob, 1) },
    ]);
    expect(drawSample([...candidates].reverse(), 0.05, 'seed-1', 'unassigned')).toEqual(draw);
    // Another seed, another draw (the 40 of alice give many possible pairs).
    expect(drawSample(candidates, 0.05, 'seed-2', 'unassigned')[0]!.drawn).not.toEqual(draw[0]!.drawn);
  });

  it('ranks by HMAC-SHA256, as openssl computes it', () => {
    // printf %s tkt_a0000 | openssl dgst -sha256 -hmac seed-1
    expect(drawRank('seed-1', 'tkt_a0000')).toBe(require('node:crypto').createHmac('sha256', 'seed-1').update('tkt_a0000').digest('hex'));
  });

  it('defaults to weekly draws of 5 % and refuses shares outside (0, 1]', () => {
    expect(qualityConfigSchema.parse({})).toEqual({ period: 'week', share: 0.05 });
    expect(qualityConfigSchema.safeParse({ share: 0 }).success).toBe(false);
    expect(qualityConfigSchema.safeParse({ share: 1.5 }).success).toBe(false);
    expect(qualityConfigSchema.safeParse({ period: 'fortnight' }).success).toBe(false);
  });
});
