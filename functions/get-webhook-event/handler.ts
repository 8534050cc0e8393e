import { dynamoDocumentClient } from '@shared/aws/clients';
import { bearerVerifierFromEnv } from '@shared/auth/bearer-token';
import { clock } from '@shared/clock';
import { requireEnv } from '@shared/config/env';
import { loadMarketplaceRegistry } from '@shared/config/marketplaces';
import { httpHandler } from '@shared/http/http-handler';
import { Inbox } from '@shared/webhooks/inbox';
import { createGetWebhookEvent } from './get-webhook-event';

export const handler = httpHandler(
  createGetWebhookEvent({
    inbox: new Inbox(dynamoDocumentClient(), requireEnv('INBOX_TABLE_NAME')),
    registry: loadMarketplaceRegistry,
    clock,
    verifyBearer: bearerVerifierFromEnv(),
  }),
);
