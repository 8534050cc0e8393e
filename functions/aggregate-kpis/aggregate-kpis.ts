import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { AuditEvent } from '@shared/audit/audit-event';
import { isMarketplaceEvent, recordFromItem } from '@shared/audit/audit-record';
import type { Aggregated, KpiAggregator } from '@shared/reports/aggregator';

export interface AggregateKpisDeps {
  readonly aggregator: KpiAggregator;
}

/**
 * One record of the audit table's stream: a new ticket audit event goes into the KPI
 * counters. The trail only grows, so anything but an insert is ignored, and so are a
 * marketplace's own events (its exports), which are about no ticket.
 */
export function createAggregateKpis(deps: AggregateKpisDeps) {
  return async function aggregateKpis(record: DynamoDBRecord): Promise<Aggregated | 'ignored'> {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || !image) return 'ignored';
    const item = unmarshall(image as Record<string, AttributeValue>);
    const audited = recordFromItem(item);
    if (isMarketplaceEvent(audited) || !String(item.pk).startsWith('TICKET#')) return 'ignored';
    return deps.aggregator.add(audited as AuditEvent);
  };
}
