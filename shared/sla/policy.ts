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

/** Absolute due time `seconds` after `startIso`. */
export function dueAfter(startIso: string, seconds: number): string {
  return new Date(Date.parse(startIso) + seconds * 1000).toISOString();
}
