import { dynamoDocumentClient } from '@shared/aws/clients';
import { requireEnv } from '@shared/config/env';
import { loadMarketplaceRegistry } from '@shared/config/marketplaces';
import { httpHandler } from '@shared/http/http-handler';
import { QualityStore } from '@shared/quality/quality-store';
import { createListQualityReviews } from './list-quality-reviews';

export const handler = httpHandler(
  createListQualityReviews({
    store: new QualityStore(dynamoDocumentClient(), requireEnv('REPORTS_TABLE_NAME')),
    registry: loadMarketplaceRegistry,
  }),
);
