import type { ReturnRequest } from '@shared/tickets/ticket';
import type { ReturnPolicy } from './policy';

/** The rules a return request can fail, each named so the rejection says which one applied. */
export type EligibilityRule = 'no_reason_window' | 'non_returnable_category' | 'exchange_window' | 'warranty';

export type Eligibility =
  | { readonly eligible: true }
  | {
      readonly eligible: false;
      readonly rule: EligibilityRule;
      /** The rejection in words a buyer understands, naming the rule and the dates. */
      readonly reason: string;
    };

const DAY_SECONDS = 24 * 3600;
const days = (seconds: number) => {
  const count = Math.round((seconds / DAY_SECONDS) * 10) / 10;
  return `${count} ${count === 1 ? 'day' : 'days'}`;
};
const dateOf = (iso: string) => iso.slice(0, 10);

/**
 * Whether a return request may go to the merchant, under the policy recorded on the ticket.
 * Pure. Refund-only and return-and-refund requests are returns without a reason: within the
 * no-reason window of delivery, and not of a category art. 25 (or the marketplace) excludes.
 * Exchanges are for quality defects, within the exchange window; repairs within the warranty.
 * `requestedAt` is when the platform received the request.
 */
export function checkEligibility(request: ReturnRequest, policy: ReturnPolicy, requestedAt: string): Eligibility {
  const elapsedSeconds = Math.max(0, (Date.parse(requestedAt) - Date.parse(request.deliveredAt)) / 1000);
  const delivered = `delivered on ${dateOf(request.deliveredAt)}`;
  switch (request.requestType) {
    case 'refund_only':
    case 'return_refund': {
      const category = policy.nonReturnableCategories[request.productCategory];
      if (category) {
        return {
          eligible: false,
          rule: 'non_returnable_category',
          reason: `${capitalise(category)} cannot be returned without a reason (non-returnable category "${request.productCategory}"). If the item is faulty, you can ask for an exchange or a repair.`,
        };
      }
      if (elapsedSeconds > policy.noReasonWindowSeconds) {
        return {
          eligible: false,
          rule: 'no_reason_window',
          reason: `Returns without a reason are accepted within ${days(policy.noReasonWindowSeconds)} of delivery (no-reason return window); this order was ${delivered}, ${days(elapsedSeconds)} before the request. If the item is faulty, you can ask for an exchange or a repair.`,
        };
      }
      return { eligible: true };
    }
    case 'exchange':
      if (elapsedSeconds > policy.exchangeWindowSeconds) {
        return {
          eligible: false,
          rule: 'exchange_window',
          reason: `A faulty item can be exchanged within ${days(policy.exchangeWindowSeconds)} of delivery (quality-defect exchange window); this order was ${delivered}, ${days(elapsedSeconds)} before the request. You can still ask for a repair under the warranty.`,
        };
      }
      return { eligible: true };
    case 'repair':
      if (elapsedSeconds > policy.warrantySeconds) {
        return {
          eligible: false,
          rule: 'warranty',
          reason: `Repairs are free within the ${days(policy.warrantySeconds)} warranty from delivery; this order was ${delivered}, ${days(elapsedSeconds)} before the request, so the warranty has ended.`,
        };
      }
      return { eligible: true };
  }
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
