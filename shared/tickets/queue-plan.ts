import { CLOSED_PREFIX, OPEN_PREFIX } from './queue-keys';
import type { TicketFilters } from './queue-query';
import { ticketIdFor } from './ticket';

/** How far ahead a deadline counts as "at risk". */
export const AT_RISK_WITHIN_MS = 3600_000;

/** Above every character a queue key holds, so `<prefix><HIGHEST>` closes a range. */
const HIGHEST = '\uffff';

/**
 * One Query of a plan: an index partition (or, for a reference, the ticket's own key) and a
 * `queueKey` range. A plan reads its segments one after the other; their ranges never
 * overlap and come in the order the answer is sorted in.
 */
export interface QuerySegment {
  /** Index name; absent for the table's own key. */
  readonly index?: string;
  readonly partitionName: string;
  readonly partitionValue: string;
  /** `queueKey` range, both ends included. */
  readonly from: string;
  readonly to: string;
}

export interface QueryPlan {
  readonly segments: readonly QuerySegment[];
  /** Open tickets soonest due first (forward); closed ones newest first (backward). */
  readonly forward: boolean;
  /** Applied by DynamoDB inside each page read (FilterExpression); empty when the key does all the work. */
  readonly filter?: {
    readonly expression: string;
    readonly names: Record<string, string>;
    readonly values: Record<string, unknown>;
  };
  /** Filters the plan applies inside pages (documented in the README), for tests and logs. */
  readonly filteredBy: readonly string[];
}

type FilterName = 'kind' | 'stage' | 'assignee' | 'unassigned' | 'tierAtLeast' | 'atRisk' | 'breached' | 'orderId' | 'customerRef' | 'status' | 'dueBefore';

/**
 * Chooses the Query that serves a `GET /tickets` query, and what is left to filter inside
 * the pages. The narrowest key the query names wins: reference (the ticket's own key), order,
 * customer, assignee, the unassigned pool, the breached queue, the at-risk queues, else the
 * marketplace's whole queue. Status, `dueBefore` and the order are always key conditions.
 */
export function planTicketQuery(filters: TicketFilters, asOf: Date): QueryPlan {
  const open = filters.status === 'open';
  const prefix = open ? OPEN_PREFIX : CLOSED_PREFIX;
  let from = prefix;
  let to = `${prefix}${HIGHEST}`;
  if (filters.dueBefore) to = minString(to, `${OPEN_PREFIX}${new Date(Date.parse(filters.dueBefore) - 1).toISOString()}`);
  const riskEdge = new Date(asOf.getTime() + AT_RISK_WITHIN_MS).toISOString();
  const { marketplace } = filters;

  const served = new Set<FilterName>(['status', 'dueBefore']);
  const segment = (index: string, partitionName: string, partitionValue: string): QuerySegment[] => [{ index, partitionName, partitionValue, from, to }];
  let segments: QuerySegment[];
  if (filters.reference) {
    segments = [{ partitionName: 'pk', partitionValue: `TICKET#${ticketIdFor(marketplace, filters.reference)}`, from, to }];
    served.clear();
  } else if (filters.orderId) {
    segments = segment('queue-by-order', 'queueOrder', `${marketplace}#${filters.orderId}`);
    served.add('orderId');
  } else if (filters.customerRef) {
    segments = segment('queue-by-customer', 'queueCustomer', `${marketplace}#${filters.customerRef}`);
    served.add('customerRef');
  } else if (filters.assignee) {
    segments = segment('queue-by-assignee', 'queueAssignee', `${marketplace}#${filters.assignee}`);
    served.add('assignee');
  } else if (filters.unassigned) {
    segments = segment('queue-unassigned', 'queueUnassigned', marketplace);
    served.add('unassigned');
  } else if (filters.breached) {
    segments = segment('queue-breached', 'queueBreached', marketplace);
    served.add('breached');
  } else if (filters.atRisk) {
    // Due within the hour (from the whole queue), then due later but warned: two key ranges, in due order.
    const soon = `${OPEN_PREFIX}${riskEdge}`;
    segments = [
      { index: 'queue-by-marketplace', partitionName: 'queueMarketplace', partitionValue: marketplace, from, to: minString(to, soon) },
      { index: 'queue-warned', partitionName: 'queueWarned', partitionValue: marketplace, from: maxString(from, `${soon} `), to },
    ].filter((candidate) => candidate.from <= candidate.to);
    served.add('atRisk');
  } else {
    segments = segment('queue-by-marketplace', 'queueMarketplace', marketplace);
  }
  if (segments.every((candidate) => candidate.from > candidate.to)) segments = [];

  const clauses: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const filteredBy: FilterName[] = [];
  const add = (filter: FilterName, clause: string, attributeNames: Record<string, string>, attributeValues: Record<string, unknown>) => {
    if (served.has(filter)) return;
    clauses.push(clause);
    Object.assign(names, attributeNames);
    Object.assign(values, attributeValues);
    filteredBy.push(filter);
  };
  if (!segments[0]?.index) {
    // The ticket's own key has no queue range: status and due time are checked on the item.
    add('status', '#queueKey BETWEEN :from AND :to', { '#queueKey': 'queueKey' }, { ':from': from, ':to': to });
  }
  if (filters.kind) add('kind', '#kind = :kind', { '#kind': 'kind' }, { ':kind': filters.kind });
  if (filters.stage) add('stage', '#stage = :stage', { '#stage': 'stage' }, { ':stage': filters.stage });
  if (filters.orderId) add('orderId', '#orderId = :orderId', { '#orderId': 'orderId' }, { ':orderId': filters.orderId });
  if (filters.customerRef) add('customerRef', '#customerRef = :customerRef', { '#customerRef': 'customerRef' }, { ':customerRef': filters.customerRef });
  if (filters.assignee) add('assignee', '#assignee = :assignee', { '#assignee': 'assignee' }, { ':assignee': filters.assignee });
  if (filters.unassigned) add('unassigned', 'attribute_not_exists(#assignee)', { '#assignee': 'assignee' }, {});
  if (filters.tierAtLeast !== undefined) add('tierAtLeast', '#tier >= :tier', { '#tier': 'escalationTier' }, { ':tier': filters.tierAtLeast });
  if (filters.breached) add('breached', 'attribute_exists(#breached)', { '#breached': 'queueBreached' }, {});
  if (filters.atRisk) {
    // `nextDueAt` is the same earliest running due time as the queue key, outside any index key here.
    add('atRisk', '(#nextDueAt <= :riskEdge OR attribute_exists(#warned))', { '#nextDueAt': 'nextDueAt', '#warned': 'queueWarned' }, { ':riskEdge': riskEdge });
  }
  return {
    segments,
    forward: open,
    ...(clauses.length ? { filter: { expression: clauses.join(' AND '), names, values } } : {}),
    filteredBy,
  };
}

const minString = (a: string, b: string) => (a < b ? a : b);
const maxString = (a: string, b: string) => (a > b ? a : b);
