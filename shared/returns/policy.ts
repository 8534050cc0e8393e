import { z } from 'zod';

/**
 * The return and after-sales policy of a marketplace: the eligibility windows and the time
 * limits of each step (docs/returns.md). Defaults follow the law and
 * common marketplace practice; a marketplace overrides any of them in its registry entry
 * (`returns`), and the policy in force when a return opens is recorded on its ticket.
 */
export interface ReturnPolicy {
  /** Returns without a reason are accepted this long after delivery (art. 25: 7 days). */
  readonly noReasonWindowSeconds: number;
  /** A quality defect may be exchanged this long after delivery ("three guarantees": 15 days). */
  readonly exchangeWindowSeconds: number;
  /** A defect is repaired within the warranty, this long after delivery. */
  readonly warrantySeconds: number;
  /** Product categories not returnable without a reason → the words a buyer reads. */
  readonly nonReturnableCategories: Readonly<Record<string, string>>;
  /** The merchant approves or rejects within this; silence approves. */
  readonly merchantDecisionSeconds: number;
  /** After approval the buyer ships and uploads tracking within this, else the request is abandoned. */
  readonly buyerShipmentSeconds: number;
  /** After shipment the merchant confirms receipt within this, else the refund is due at once. */
  readonly merchantReceiptSeconds: number;
  /** The refund is paid within this after receipt (or after approval of a refund-only request). */
  readonly refundSeconds: number;
  /** After a rejection the buyer may ask the platform to intervene within this; then the rejection is final. */
  readonly interventionSeconds: number;
  /** The survey answer is accepted this long after the survey was sent; then the ticket closes. */
  readonly surveySeconds: number;
}

const DAY = 24 * 3600;

/**
 * Not returnable without a reason (PRC Consumer Rights Protection Law, art. 25). Product
 * categories are the marketplace's own codes; these are the codes Aftercare knows by default.
 */
export const ART_25_CATEGORIES: Readonly<Record<string, string>> = {
  custom_made: 'custom-made goods',
  fresh_perishable: 'fresh and perishable goods',
  digital_content: 'digital content downloaded online',
  audio_visual: 'audio-visual products unsealed by the buyer',
  software: 'software unsealed by the buyer',
  newspapers_periodicals: 'newspapers and periodicals',
};

export const DEFAULT_RETURN_POLICY: ReturnPolicy = {
  noReasonWindowSeconds: 7 * DAY,
  exchangeWindowSeconds: 15 * DAY,
  warrantySeconds: 365 * DAY,
  nonReturnableCategories: ART_25_CATEGORIES,
  merchantDecisionSeconds: 2 * DAY,
  buyerShipmentSeconds: 7 * DAY,
  merchantReceiptSeconds: 10 * DAY,
  refundSeconds: 7 * DAY,
  interventionSeconds: 7 * DAY,
  surveySeconds: 7 * DAY,
};

const seconds = z.number().int().positive();
const categoryCode = z.string().trim().min(1).max(64);

/**
 * A marketplace's `returns` entry: any limit overridden, and categories it adds to the ones
 * art. 25 names (code → the words a buyer reads). The law's categories cannot be removed.
 */
export const returnPolicyConfigSchema = z.strictObject({
  noReasonWindowSeconds: seconds.optional(),
  exchangeWindowSeconds: seconds.optional(),
  warrantySeconds: seconds.optional(),
  merchantDecisionSeconds: seconds.optional(),
  buyerShipmentSeconds: seconds.optional(),
  merchantReceiptSeconds: seconds.optional(),
  refundSeconds: seconds.optional(),
  interventionSeconds: seconds.optional(),
  surveySeconds: seconds.optional(),
  additionalNonReturnableCategories: z.record(categoryCode, z.string().trim().min(1).max(200)).optional(),
});

export type ReturnPolicyConfig = z.infer<typeof returnPolicyConfigSchema>;

/** The policy for a marketplace: the defaults, overridden by its `returns` entry. */
export function resolveReturnPolicy(config: ReturnPolicyConfig | undefined): ReturnPolicy {
  const { additionalNonReturnableCategories, ...limits } = config ?? {};
  const defined = Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined));
  return {
    ...DEFAULT_RETURN_POLICY,
    ...defined,
    nonReturnableCategories: { ...DEFAULT_RETURN_POLICY.nonReturnableCategories, ...additionalNonReturnableCategories },
  };
}
