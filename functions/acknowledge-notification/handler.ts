import { dynamoDocumentClient } from '@shared/aws/clients';
import { clock } from '@shared/clock';
import { loadMarketplaceRegistry } from '@shared/config/marketplaces';
import { requireEnv } from '@shared/config/env';
import { httpHandler } from '@shared/http/http-handler';
import { NotificationStore } from '@shared/notifications/notification-store';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { createAcknowledgeNotification } from './acknowledge-notification';

export const handler = httpHandler(
  createAcknowledgeNotification({
    tickets: ticketRepositoryFromEnv(),
    store: new NotificationStore(dynamoDocumentClient(), requireEnv('NOTIFICATIONS_TABLE_NAME')),
    registry: loadMarketplaceRegistry,
    fetch: (input, init) => fetch(input, init),
    clock,
  }),
);
