import { DEFAULT_SLA_POLICY, resolveSlaPolicy, slaConfigSchema, tierAfterBreach } from '@shared/sla/policy';

describe('escalation on a missed deadline', () => {
  it.each([
    ['firstResponse', 0, 0],
    ['initialHandling', 0, 1],
    ['initialHandling', 3, 4],
    ['resolution', 0, 2],
    ['resolution', 1, 2],
    ['resolution', 2, 3],
    ['resolution', 4, 4],
  ] as const)('by the handbook, a missed %s at tier %i leaves the ticket at tier %i', (deadline, from, to) => {
    expect(tierAfterBreach(from, deadline, DEFAULT_SLA_POLICY)).toBe(to);
  });

  it('follows a marketplace policy, per priority, over the handbook', () => {
    const config = slaConfigSchema.parse({
      default: { escalateOnBreach: { firstResponse: { raiseBy: 1, toAtLeast: 0 } } },
      urgent: { escalateOnBreach: { resolution: { raiseBy: 2, toAtLeast: 3 } } },
    });
    const normal = resolveSlaPolicy(config, 'normal');
    const urgent = resolveSlaPolicy(config, 'urgent');
    expect(tierAfterBreach(0, 'firstResponse', normal)).toBe(1);
    expect(tierAfterBreach(0, 'resolution', normal)).toBe(2);
    expect(tierAfterBreach(0, 'firstResponse', urgent)).toBe(1);
    expect(tierAfterBreach(2, 'resolution', urgent)).toBe(4);
  });

  it('applies the handbook to tickets whose recorded policy names no escalation', () => {
    const { escalateOnBreach: _none, ...older } = DEFAULT_SLA_POLICY;
    expect(tierAfterBreach(0, 'resolution', { ...older, escalateOnBreach: {} })).toBe(2);
    expect(tierAfterBreach(0, 'initialHandling', undefined)).toBe(1);
  });

  it('refuses tiers outside 0-4', () => {
    expect(slaConfigSchema.safeParse({ default: { escalateOnBreach: { resolution: { raiseBy: 1, toAtLeast: 5 } } } }).success).toBe(false);
  });
});
