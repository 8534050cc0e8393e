import { auditTrailFromEnv } from '@shared/audit/audit-trail-from-env';
import { CheckpointStore } from '@shared/audit/checkpoints';
import { s3 } from '@shared/aws/clients';
import { requireEnv } from '@shared/config/env';
import { httpHandler } from '@shared/http/http-handler';
import { createGetMarketplaceChain } from './get-marketplace-chain';

export const handler = httpHandler(
  createGetMarketplaceChain({
    audit: auditTrailFromEnv(),
    checkpoints: new CheckpointStore(s3(), requireEnv('CHECKPOINTS_BUCKET_NAME')),
  }),
);
