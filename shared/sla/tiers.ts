/**
 * The escalation tiers: 0 agents, 1 supervisors, 2 managers, up to 4. Its own module, free of
 * imports, so the console can use it without bundling the SLA policy.
 */
export const MAX_ESCALATION_TIER = 4;
