import { z } from 'zod';
import type { DeadlineName } from '@shared/tickets/ticket';
import { clockConfigSchema, metricClocks, metricDue, type ClockedMetric, type DeadlineClock, type DeadlineTerms } from './deadline-clock';
import { MAX_ESCALATION_TIER } from './tiers';

export { MAX_ESCALATION_TIER };

/**
 * What a missed deadline does to the escalation tier: up `raiseBy` tiers, and to at least
 * `toAtLeast` (docs/complaints.md: a missed first response or next reply is recorded and told,
 * not escalated; a missed initial handling escalates one tier; a missed resolution goes to the
 * manager tier).
 */
export interface BreachEscalation {
  readonly raiseBy: number;
  readonly toAtLeast: number;
}

/**
 * Service-level deadlines, in seconds from the moment they start. The defaults come from the
 * service handbook (docs/complaints.md); a marketplace overrides them for all its tickets and per
 * priority. The policy in force when a ticket opens is recorded on it.
 */
export interface SlaPolicy {
  readonly firstResponseSeconds: number;
  /**
   * After each customer message (once the first response is done) the agent owes a public
   * reply within this long. Absent on tickets opened before next replies were tracked: the default.
   */
  readonly nextReplySeconds: number;
  readonly initialHandlingSeconds: number;
  readonly resolutionSeconds: number;
  /** On-call is warned once this share of a deadline's span has passed (0.8: at 80 %). */
  readonly warningAtFraction: number;
  /** After resolution, silence this long counts as the customer's confirmation. */
  readonly confirmationSeconds: number;
  /** A survey answer is accepted this long after the survey was sent; then the ticket closes. */
  readonly surveySeconds: number;
  /** Per deadline, what its breach does to the tier; a deadline not named here escalates one tier. */
  readonly escalateOnBreach: Readonly<Partial<Record<DeadlineName, BreachEscalation>>>;
  /** The clock each complaint metric counts in (see deadline-clock.ts); absent on tickets opened before clocks existed: calendar time. */
  readonly clock?: Readonly<Record<ClockedMetric, DeadlineClock>>;
}

const seconds = z.number().int().positive();
const tier = z.number().int().min(0).max(MAX_ESCALATION_TIER);
const breachEscalation = z.strictObject({ raiseBy: tier, toAtLeast: tier });
const policyOverride = z.strictObject({
  firstResponseSeconds: seconds.optional(),
  nextReplySeconds: seconds.optional(),
  initialHandlingSeconds: seconds.optional(),
  resolutionSeconds: seconds.optional(),
  warningAtFraction: z.number().gt(0).lt(1).optional(),
  confirmationSeconds: seconds.optional(),
  surveySeconds: seconds.optional(),
  escalateOnBreach: z
    .strictObject({
      firstResponse: breachEscalation.optional(),
      nextReply: breachEscalation.optional(),
      initialHandling: breachEscalation.optional(),
      resolution: breachEscalation.optional(),
    })
    .optional(),
  clock: clockConfigSchema.optional(),
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

/**
 * The policy for a priority: handbook defaults, overridden by the marketplace's default, then
 * by its priority's. `hasCalendar`: whether the marketplace has a business calendar (the
 * clocks' defaults depend on it).
 */
export function resolveSlaPolicy(config: SlaConfig | undefined, priority: keyof Omit<SlaConfig, 'default'>, hasCalendar = false): SlaPolicy {
  const defined = (override: object | undefined) => Object.fromEntries(Object.entries(override ?? {}).filter(([, value]) => value !== undefined));
  const escalateOnBreach = {
    ...DEFAULT_SLA_POLICY.escalateOnBreach,
    ...defined(config?.default?.escalateOnBreach),
    ...defined(config?.[priority]?.escalateOnBreach),
  };
  const clock = metricClocks({ ...defined(config?.default?.clock), ...defined(config?.[priority]?.clock) }, hasCalendar);
  return { ...DEFAULT_SLA_POLICY, ...defined(config?.default), ...defined(config?.[priority]), escalateOnBreach, clock };
}

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  firstResponseSeconds: 15 * 60,
  nextReplySeconds: 15 * 60,
  initialHandlingSeconds: 24 * 60 * 60,
  resolutionSeconds: 48 * 60 * 60,
  warningAtFraction: 0.8,
  confirmationSeconds: 72 * 60 * 60,
  surveySeconds: 7 * 24 * 60 * 60,
  escalateOnBreach: {
    firstResponse: { raiseBy: 0, toAtLeast: 0 },
    nextReply: { raiseBy: 0, toAtLeast: 0 },
    initialHandling: { raiseBy: 1, toAtLeast: 0 },
    resolution: { raiseBy: 1, toAtLeast: 2 },
  },
};

/** The tier a ticket moves to when `deadline` is missed, under the policy recorded on it. */
export function tierAfterBreach(currentTier: number, deadline: DeadlineName, policy: SlaPolicy | undefined): number {
  // Tickets opened before the policy named escalations carry none: the handbook's then apply.
  const rule = policy?.escalateOnBreach?.[deadline] ?? DEFAULT_SLA_POLICY.escalateOnBreach[deadline] ?? { raiseBy: 1, toAtLeast: 0 };
  return Math.min(MAX_ESCALATION_TIER, Math.max(currentTier + rule.raiseBy, rule.toAtLeast));
}

/**
 * The absolute deadlines of a complaint received at `receivedAt`, each on its clock: with a
 * business calendar, a metric in business time counts only working hours (from the next
 * opening when the complaint arrives out of hours).
 */
export function complaintDeadlines(receivedAt: string, policy: SlaPolicy = DEFAULT_SLA_POLICY, calendar?: DeadlineTerms['calendar']) {
  const terms: DeadlineTerms = { slaPolicy: policy, calendar };
  return {
    firstResponse: metricDue(terms, 'firstResponse', receivedAt, policy.firstResponseSeconds),
    initialHandling: metricDue(terms, 'initialHandling', receivedAt, policy.initialHandlingSeconds),
    resolution: metricDue(terms, 'resolution', receivedAt, policy.resolutionSeconds),
  };
}

/** Absolute due time `seconds` after `startIso`, in calendar time (return limits and windows). */
export function dueAfter(startIso: string, seconds: number): string {
  return new Date(Date.parse(startIso) + seconds * 1000).toISOString();
}
