import { auditTrailFromEnv } from '@shared/audit/audit-trail-from-env';
import { CheckpointStore } from '@shared/audit/checkpoints';
import { s3 } from '@shared/aws/clients';
import { clock } from '@shared/clock';
import { scheduledHandler } from '@shared/observability/handlers';
import { requireEnv } from '@shared/config/env';
import { loadMarketplaceRegistry } from '@shared/config/marketplaces';
import { createCheckpointChainHeads } from './checkpoint-chain-heads';

export const handler = scheduledHandler(
  createCheckpointChainHeads({
    audit: auditTrailFromEnv(),
    checkpoints: new CheckpointStore(s3(), requireEnv('CHECKPOINTS_BUCKET_NAME')),
    marketplaces: async () => Object.keys((await loadMarketplaceRegistry()).marketplaces),
    clock,
  }),
);
