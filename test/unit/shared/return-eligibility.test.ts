import { checkEligibility } from '@shared/returns/eligibility';
import { DEFAULT_RETURN_POLICY, resolveReturnPolicy } from '@shared/returns/policy';
import { registrySchema } from '@shared/config/marketplaces';
import type { ReturnRequest, ReturnRequestType } from '@shared/tickets/ticket';

const DELIVERED = '2026-03-01T00:00:00.000Z';
const afterDays = (days: number) => new Date(Date.parse(DELIVERED) + days * 86_400_000).toISOString();
const request = (requestType: ReturnRequestType, productCategory = 'apparel'): ReturnRequest => ({
  requestType,
  reason: 'does not fit',
  deliveredAt: DELIVERED,
  productCategory,
  amount: 199,
  currency: 'CNY',
});

describe('return eligibility under the default policy', () => {
  it.each`
    type               | category                    | day    | rule
    ${'return_refund'} | ${'apparel'}                | ${0}   | ${undefined}
    ${'return_refund'} | ${'apparel'}                | ${7}   | ${undefined}
    ${'return_refund'} | ${'apparel'}                | ${7.5} | ${'no_reason_window'}
    ${'refund_only'}   | ${'apparel'}                | ${6}   | ${undefined}
    ${'refund_only'}   | ${'apparel'}                | ${8}   | ${'no_reason_window'}
    ${'return_refund'} | ${'custom_made'}            | ${1}   | ${'non_returnable_category'}
    ${'return_refund'} | ${'fresh_perishable'}       | ${1}   | ${'non_returnable_category'}
    ${'refund_only'}   | ${'digital_content'}        | ${1}   | ${'non_returnable_category'}
    ${'return_refund'} | ${'audio_visual'}           | ${1}   | ${'non_returnable_category'}
    ${'return_refund'} | ${'software'}               | ${1}   | ${'non_returnable_category'}
    ${'return_refund'} | ${'newspapers_periodicals'} | ${1}   | ${'non_returnable_category'}
    ${'exchange'}      | ${'custom_made'}            | ${10}  | ${undefined}
    ${'exchange'}      | ${'apparel'}                | ${15}  | ${undefined}
    ${'exchange'}      | ${'apparel'}                | ${16}  | ${'exchange_window'}
    ${'repair'}        | ${'apparel'}                | ${300} | ${undefined}
    ${'repair'}        | ${'apparel'}                | ${366} | ${'warranty'}
  `('$type of $category requested on day $day → $rule', ({ type, category, day, rule }) => {
    const result = checkEligibility(request(type, category), DEFAULT_RETURN_POLICY, afterDays(day));
    expect(result.eligible ? undefined : result.rule).toBe(rule);
  });

  it('says why in words a buyer understands, naming the rule and the dates', () => {
    const late = checkEligibility(request('return_refund'), DEFAULT_RETURN_POLICY, afterDays(9));
    expect(late).toEqual({
      eligible: false,
      rule: 'no_reason_window',
      reason: expect.stringContaining('Returns without a reason are accepted within 7 days of delivery (no-reason return window); this order was delivered on 2026-03-01, 9 days before the request.'),
    });
    const fresh = checkEligibility(request('return_refund', 'fresh_perishable'), DEFAULT_RETURN_POLICY, afterDays(1));
    expect(fresh).toMatchObject({ reason: expect.stringMatching(/^Fresh and perishable goods cannot be returned without a reason/) });
    const exchange = checkEligibility(request('exchange'), DEFAULT_RETURN_POLICY, afterDays(20));
    expect(exchange).toMatchObject({ reason: expect.stringContaining('within 15 days of delivery (quality-defect exchange window)') });
  });
});

describe('a marketplace return policy', () => {
  it('overrides limits and adds non-returnable categories to those of art. 25', () => {
    const policy = resolveReturnPolicy({ noReasonWindowSeconds: 14 * 86_400, additionalNonReturnableCategories: { gift_cards: 'gift cards' } });
    expect(checkEligibility(request('return_refund'), policy, afterDays(10)).eligible).toBe(true);
    expect(checkEligibility(request('return_refund', 'gift_cards'), policy, afterDays(1))).toMatchObject({ rule: 'non_returnable_category', reason: expect.stringMatching(/^Gift cards/) });
    expect(checkEligibility(request('return_refund', 'custom_made'), policy, afterDays(1)).eligible).toBe(false);
    expect(policy.merchantDecisionSeconds).toBe(DEFAULT_RETURN_POLICY.merchantDecisionSeconds);
  });

  it('is validated in the marketplace registry, naming the wrong field', () => {
    const parsed = registrySchema.safeParse({ marketplaces: { acme: { webhookSecrets: ['0123456789abcdef'], returns: { refundSeconds: -1 } } } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['marketplaces', 'acme', 'returns', 'refundSeconds']);
  });
});
