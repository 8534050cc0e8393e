import { dynamoDocumentClient } from '@shared/aws/clients';
import { clock } from '@shared/clock';
import { requireEnv } from '@shared/config/env';
import { loadMarketplaceRegistry } from '@shared/config/marketplaces';
import { httpHandler } from '@shared/http/http-handler';
import { KpiStore } from '@shared/reports/kpi-store';
import { createGetKpiReport } from './get-kpi-report';

export const handler = httpHandler(
  createGetKpiReport({
    store: new KpiStore(dynamoDocumentClient(), requireEnv('REPORTS_TABLE_NAME')),
    registry: loadMarketplaceRegistry,
    clock,
  }),
);
