import { dynamoDocumentClient } from '@shared/aws/clients';
import { requireEnv } from '@shared/config/env';
import { loadMarketplaceRegistry } from '@shared/config/marketplaces';
import { streamHandler } from '@shared/observability/handlers';
import { KpiAggregator } from '@shared/reports/aggregator';
import { KpiStore } from '@shared/reports/kpi-store';
import { marketplaceTimeZone } from '@shared/reports/time-zone';
import { auditTrailRange } from '@shared/reports/trail-range';
import { createAggregateKpis } from './aggregate-kpis';

const aggregateKpis = createAggregateKpis({
  aggregator: new KpiAggregator({
    store: new KpiStore(dynamoDocumentClient(), requireEnv('REPORTS_TABLE_NAME')),
    trail: auditTrailRange(dynamoDocumentClient(), requireEnv('AUDIT_TABLE_NAME')),
    timeZoneOf: async (marketplace) => marketplaceTimeZone(await loadMarketplaceRegistry(), marketplace),
  }),
});

/**
 * Audit stream consumer. Records go one after another, in stream order (a ticket's events
 * in sequence); a failed one is reported by its sequence number, so the mapping retries
 * from there, and what succeeded after it is found already applied on the retry.
 */
export const handler = streamHandler(aggregateKpis);
