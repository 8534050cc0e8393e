import { randomBytes } from 'node:crypto';
import { dynamoDocumentClient } from '@shared/aws/clients';
import { clock } from '@shared/clock';
import { requireEnv } from '@shared/config/env';
import { loadMarketplaceRegistry } from '@shared/config/marketplaces';
import { QualityStore } from '@shared/quality/quality-store';
import { createDrawQualitySample } from './draw-quality-sample';

export const handler = createDrawQualitySample({
  store: new QualityStore(dynamoDocumentClient(), requireEnv('REPORTS_TABLE_NAME')),
  registry: loadMarketplaceRegistry,
  clock,
  seed: () => randomBytes(16).toString('hex'),
});
