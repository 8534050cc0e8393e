import { z } from 'zod';

/**
 * Service-level deadlines, in seconds from the moment they start. The defaults come from the
 * service handbook (DOMAIN.md); a marketplace overrides them for all its tickets and per
 * priority. The policy in force when a ticket opens is recorded on it.
 */
export interface SlaPolicy {
  readonly firstResponseSeconds: number;
  readonly initialHandlingSeconds: number;
  readonly resolutionSeconds: number;
  /** On-call is warned once this share of a deadline's span has passed (0.8: at 80 %). */
  readonly warningAtFraction: number;
  /** After resolution, silence this long counts as the customer's confirmation. */
  readonly confirmationSeconds: number;
  /** A survey answer is accepted this long after the survey was sent; then the ticket closes. */
  readonly surveySeconds: number;
}

const seconds = z.number().int().positive();
const policyOverride = z.strictObject({
  firstResponseSeconds: seconds.optional(),
  initialHandlingSeconds: seconds.optional(),
  resolutionSeconds: seconds.optional(),
  warningAtFraction: z.number().gt(0).lt(1).optional(),
  confirmationSeconds: seconds.optional(),
  surveySeconds: seconds.optional(),
});

/** A marketplace's SLA configuration: `default` for all priorities, then per priority. */
export const slaConfigSchema = z.strictObject({
  default: policyOverride.optional(),
  low: policyOverride.optional(),
  normal: policyOverride.optional(),
  high: policyOverride.optional(),
  urgent: policyOverride.optional(),
});

export type SlaConfig = z.infer<typeof slaConfigSchema>;

/** The policy for a priority: handbook defaults, overridden by the marketplace's default, then by its priority's. */
export function resolveSlaPolicy(config: SlaConfig | undefined, priority: keyof Omit<SlaConfig, 'default'>): SlaPolicy {
  const defined = (override: z.infer<typeof policyOverride> | undefined) =>
    Object.fromEntries(Object.entries(override ?? {}).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_SLA_POLICY, ...defined(config?.default), ...defined(config?.[priority]) };
}

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  firstResponseSeconds: 15 * 60,
  initialHandlingSeconds: 24 * 60 * 60,
  resolutionSeconds: 48 * 60 * 60,
  warningAtFraction: 0.8,
  confirmationSeconds: 72 * 60 * 60,
  surveySeconds: 7 * 24 * 60 * 60,
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
