import { chainAuditEvent, GENESIS_HASH, type AuditEvent } from '@shared/audit/audit-event';
import { canonicalJson } from '@shared/audit/canonical-json';
import { verifyChain } from '@shared/audit/verify-chain';

function chainOf(length: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (let seq = 1; seq <= length; seq += 1) {
    events.push(
      chainAuditEvent({
        ticketId: 'tkt_1',
        marketplace: 'demo',
        seq,
        at: new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString(),
        actor: { type: 'system', id: 'workflow' },
        via: 'workflow',
        action: `step.${seq}`,
        changes: [{ field: 'stage', from: `s${seq - 1}`, to: `s${seq}` }],
        prevHash: events.at(-1)?.hash ?? GENESIS_HASH,
      }),
    );
  }
  return events;
}

describe('verifyChain', () => {
  it('accepts an intact chain and reports its head', () => {
    const events = chainOf(4);
    expect(verifyChain(events)).toEqual({ valid: true, events: 4, headHash: events[3]!.hash });
  });

  it("refuses another chain's intact events: another ticket's, or a ticket's on a marketplace's own chain", () => {
    const events = chainOf(3);
    expect(verifyChain(events, undefined, { field: 'ticketId', value: 'tkt_1' })).toMatchObject({ valid: true });
    expect(verifyChain(events, undefined, { field: 'ticketId', value: 'tkt_2' })).toMatchObject({
      valid: false,
      brokenAtSeq: 1,
      problem: 'the event belongs to ticket tkt_1',
    });
    expect(verifyChain(events, undefined, { field: 'marketplace', value: 'demo' })).toMatchObject({ valid: false, brokenAtSeq: 1 });
  });

  it('names the event whose content was changed', () => {
    const events = chainOf(4);
    events[2] = { ...events[2]!, reason: 'edited afterwards' };
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAtSeq: 3, problem: 'hash does not match the event content' });
  });

  it('detects a deleted event', () => {
    const events = chainOf(4);
    events.splice(1, 1);
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAtSeq: 3 });
  });

  it('detects reordered events', () => {
    const events = chainOf(4);
    [events[1], events[2]] = [events[2]!, events[1]!];
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAtSeq: 3 });
  });

  it('detects an event re-hashed after its change but no longer linked to the next', () => {
    const events = chainOf(3);
    const { hash: _old, ...content } = { ...events[1]!, action: 'forged' };
    events[1] = chainAuditEvent(content);
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAtSeq: 3, problem: 'prevHash does not match the previous event' });
  });
});

describe('canonicalJson', () => {
  it('is the same whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [2, { e: 0, f: 1 }] }, b: 1 }));
  });
});

describe('verifyChain against a recorded head', () => {
  const events = chainOf(5);

  it('accepts a chain that passes through a checkpoint and goes on', () => {
    expect(verifyChain(events, { seq: 3, hash: events[2]!.hash })).toMatchObject({ valid: true, events: 5 });
  });

  it('finds a chain cut short before its checkpoint', () => {
    expect(verifyChain(events.slice(0, 3), { seq: 5, hash: events[4]!.hash })).toMatchObject({ valid: false, brokenAtSeq: 4 });
  });

  it('finds a chain whose event at the checkpoint is not the one checkpointed', () => {
    expect(verifyChain(events, { seq: 3, hash: events[1]!.hash })).toMatchObject({ valid: false, brokenAtSeq: 3 });
  });

  it('with `last`, also finds events past the head the ticket records', () => {
    expect(verifyChain(events, { seq: 4, hash: events[3]!.hash, last: true })).toMatchObject({ valid: false, brokenAtSeq: 5 });
    expect(verifyChain(events, { seq: 5, hash: events[4]!.hash, last: true })).toMatchObject({ valid: true });
  });
});
