import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '@shared/aws/query-all';
import type { Clock } from '@shared/clock';
import { decodeQueueCursor, encodeQueueCursor, type QueueCursor } from './queue-cursor';
import { OPEN_PREFIX, type QueueItem } from './queue-keys';
import { AT_RISK_WITHIN_MS, planTicketQuery, type QueryPlan, type QuerySegment } from './queue-plan';
import type { TicketFilters } from './queue-query';

export interface QueuePage {
  readonly items: QueueItem[];
  /** Opaque; absent on the last page. */
  readonly cursor?: string;
}

/** Items a filtered Query reads per round trip (DynamoDB filters after reading, so this bounds each read, not the page). */
const FILTERED_READ = 250;

export interface ManagerSummary {
  readonly marketplace: string;
  readonly asOf: string;
  readonly open: number;
  readonly byStageAndTier: { readonly stage: string; readonly tier: number; readonly count: number }[];
  readonly atRisk: { readonly total: number; readonly byTier: Record<string, number> };
  readonly breached: { readonly total: number; readonly byTier: Record<string, number> };
  readonly unassigned: { readonly total: number; readonly byTier: Record<string, number> };
}

/**
 * Reads the work queues of `GET /tickets` and the manager's summary, by Query on the queue
 * indexes only (see {@link planTicketQuery}). Pages are full: a page read partly filtered
 * away is followed by further reads until `limit` tickets are found or the queue ends.
 */
export class TicketQueue {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async list(filters: TicketFilters, limit: number, cursorText?: string): Promise<QueuePage> {
    const planFor = (asOf: Date) => planTicketQuery(filters, asOf);
    let plan: QueryPlan;
    let start: QueueCursor;
    if (cursorText !== undefined) {
      ({ cursor: start, plan } = decodeQueueCursor(cursorText, filters, planFor));
    } else {
      const asOf = this.clock.now();
      plan = planFor(asOf);
      start = { segment: 0, key: {}, asOf: asOf.toISOString() };
    }

    const items: QueueItem[] = [];
    for (let index = start.segment; index < plan.segments.length; index += 1) {
      const segment = plan.segments[index]!;
      let startKey: Record<string, string> | undefined = index === start.segment && Object.keys(start.key).length ? start.key : undefined;
      do {
        const wanted = limit - items.length;
        const page = await this.client.send(
          new QueryCommand({
            ...this.queryInput(plan, segment),
            // Unfiltered, one more than needed tells whether anything follows; filtered, read in larger steps.
            Limit: plan.filter ? Math.max(FILTERED_READ, wanted + 1) : wanted + 1,
            ExclusiveStartKey: startKey,
          }),
        );
        const found = page.Items ?? [];
        for (let at = 0; at < found.length; at += 1) {
          const item = found[at]!;
          // The queue indexes hold the line itself, written with every change (see queueAttributes).
          items.push(item.queueItem as QueueItem);
          if (items.length === limit) {
            const more = at < found.length - 1 || page.LastEvaluatedKey !== undefined || index < plan.segments.length - 1;
            return more ? { items, cursor: encodeQueueCursor(filters, { segment: index, key: positionOf(item, segment), asOf: start.asOf }) } : { items };
          }
        }
        startKey = page.LastEvaluatedKey as Record<string, string> | undefined;
      } while (startKey);
    }
    return { items };
  }

  /** Open tickets by stage × tier, at risk, breached and unassigned (per tier), as a manager's board shows them. */
  async summary(marketplace: string): Promise<ManagerSummary> {
    const asOf = this.clock.now();
    const riskEdge = `${OPEN_PREFIX}${new Date(asOf.getTime() + AT_RISK_WITHIN_MS).toISOString()}`;
    const openRange = (index: string, partitionName: string, from = OPEN_PREFIX, to = `${OPEN_PREFIX}\uffff`): QueryCommandInput => ({
      TableName: this.table,
      IndexName: index,
      KeyConditionExpression: '#partition = :partition AND #queueKey BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#partition': partitionName, '#queueKey': 'queueKey', '#stage': 'stage', '#tier': 'escalationTier' },
      ExpressionAttributeValues: { ':partition': marketplace, ':from': from, ':to': to },
      ProjectionExpression: '#stage, #tier, #queueKey',
    });
    // At risk, as `atRisk=true` lists it: due within the hour, then due later but warned.
    const [open, warned, breached, unassigned] = await Promise.all([
      queryAll(this.client, openRange('queue-by-marketplace', 'queueMarketplace')),
      queryAll(this.client, openRange('queue-warned', 'queueWarned', `${riskEdge} `)),
      queryAll(this.client, openRange('queue-breached', 'queueBreached')),
      queryAll(this.client, openRange('queue-unassigned', 'queueUnassigned')),
    ]);
    const soon = open.filter((item) => String(item.queueKey) <= riskEdge);
    const cells = new Map<string, { stage: string; tier: number; count: number }>();
    for (const item of open) {
      const key = `${item.stage}#${item.escalationTier}`;
      const cell = cells.get(key) ?? { stage: String(item.stage), tier: Number(item.escalationTier), count: 0 };
      cell.count += 1;
      cells.set(key, cell);
    }
    return {
      marketplace,
      asOf: asOf.toISOString(),
      open: open.length,
      byStageAndTier: [...cells.values()].sort((a, b) => a.stage.localeCompare(b.stage) || a.tier - b.tier),
      atRisk: byTier([...soon, ...warned]),
      breached: byTier(breached),
      unassigned: byTier(unassigned),
    };
  }

  private queryInput(plan: QueryPlan, segment: QuerySegment): QueryCommandInput {
    const keyed = segment.index !== undefined;
    return {
      TableName: this.table,
      ...(keyed ? { IndexName: segment.index } : { ConsistentRead: true }),
      KeyConditionExpression: keyed ? '#partition = :partition AND #queueKey BETWEEN :from AND :to' : '#partition = :partition',
      ExpressionAttributeNames: { '#partition': segment.partitionName, ...(keyed ? { '#queueKey': 'queueKey' } : {}), ...plan.filter?.names },
      ExpressionAttributeValues: { ':partition': segment.partitionValue, ...(keyed ? { ':from': segment.from, ':to': segment.to } : {}), ...plan.filter?.values },
      ScanIndexForward: plan.forward,
      ...(plan.filter ? { FilterExpression: plan.filter.expression } : {}),
    };
  }
}

/** The key a Query resumes after `item` from: the table key plus the index key. */
function positionOf(item: Record<string, unknown>, segment: QuerySegment): Record<string, string> {
  const key: Record<string, string> = { pk: String(item.pk) };
  if (segment.index) {
    key[segment.partitionName] = String(item[segment.partitionName]);
    key.queueKey = String(item.queueKey);
  }
  return key;
}

function byTier(items: readonly Record<string, unknown>[]): { total: number; byTier: Record<string, number> } {
  const counts: Record<string, number> = {};
  for (const item of items) counts[String(item.escalationTier)] = (counts[String(item.escalationTier)] ?? 0) + 1;
  return { total: items.length, byTier: counts };
}
