/**
 * Service-level deadlines, in seconds from the moment they start. These are defaults from
 * the service handbook (DOMAIN.md); per-marketplace and per-priority policies override them.
 */
export interface SlaPolicy {
  readonly firstResponseSeconds: number;
  readonly initialHandlingSeconds: number;
  readonly resolutionSeconds: number;
}

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  firstResponseSeconds: 15 * 60,
  initialHandlingSeconds: 24 * 60 * 60,
  resolutionSeconds: 48 * 60 * 60,
};

/** The absolute deadlines of a complaint received at `receivedAt`. */
export function complaintDeadlines(receivedAt: string, policy: SlaPolicy = DEFAULT_SLA_POLICY) {
  return {
    firstResponse: { dueAt: dueAfter(receivedAt, policy.firstResponseSeconds) },
    initialHandling: { dueAt: dueAfter(receivedAt, policy.initialHandlingSeconds) },
    resolution: { dueAt: dueAfter(receivedAt, policy.resolutionSeconds) },
  };
}

/** Absolute due time `seconds` after `startIso`. */
export function dueAfter(startIso: string, seconds: number): string {
  return new Date(Date.parse(startIso) + seconds * 1000).toISOString();
}
