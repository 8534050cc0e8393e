import type { ComplaintCategory, Priority } from './ticket';

/**
 * Keywords (English and Chinese) that name a category when the marketplace sent none; first
 * match wins, so the more specific complaint (a damaged item) goes before its circumstance
 * (the parcel it came in).
 */
const CATEGORY_RULES: readonly (readonly [ComplaintCategory, RegExp])[] = [
  ['product_quality', /broken|damaged|defect|faulty|quality|fake|counterfeit|质量|破损|损坏|假货/i],
  ['logistics', /deliver|shipping|shipment|parcel|courier|tracking|物流|快递|配送|发货/i],
  ['payment', /payment|charged|charge|invoice|double.?paid|支付|扣款|付款|发票/i],
  ['after_sales', /return|exchange|repair|warranty|退货|换货|维修|保修/i],
  ['service_attitude', /rude|attitude|impolite|unhelpful|态度|服务差/i],
  ['order', /order|cancel|订单|取消/i],
];

/** A complaint within this many days before by the same customer makes this one a repeat. */
export const REPEAT_WINDOW_DAYS = 30;

const PRIORITY_ORDER: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];

export interface Classification {
  readonly category: ComplaintCategory;
  readonly priority: Priority;
  readonly repeat: boolean;
  /**
   * Tier 0 (agent) by default; 1 (supervisor) for high or urgent priority and repeat complaints.
   * Dispatch puts the complaint in that tier's pool: nobody is assigned until a person takes it
   * (assignment names a person), so it is in `GET /tickets?unassigned=true&tierAtLeast=N`.
   */
  readonly escalationTier: number;
}

/**
 * Classifies and dispatches a new complaint: category and priority from the marketplace
 * when it sent them, else the category from rules on the text; a repeat complaint raises
 * the priority one level and goes to a supervisor.
 */
export function classifyComplaint(input: {
  readonly subject: string;
  readonly description: string;
  readonly category?: ComplaintCategory;
  readonly priority?: Priority;
  readonly recentComplaints: number;
}): Classification {
  const text = `${input.subject}\n${input.description}`;
  const category = input.category ?? CATEGORY_RULES.find(([, pattern]) => pattern.test(text))?.[0] ?? 'other';
  const repeat = input.recentComplaints > 0;
  const given = input.priority ?? 'normal';
  const priority = repeat ? PRIORITY_ORDER[Math.min(PRIORITY_ORDER.length - 1, PRIORITY_ORDER.indexOf(given) + 1)]! : given;
  const supervisor = repeat || priority === 'high' || priority === 'urgent';
  return { category, priority, repeat, escalationTier: supervisor ? 1 : 0 };
}
