import { dynamoDocumentClient } from '@shared/aws/clients';
import { requireEnv } from '@shared/config/env';
import { httpHandler } from '@shared/http/http-handler';
import { NotificationStore } from '@shared/notifications/notification-store';
import { createListNotifications } from './list-notifications';

export const handler = httpHandler(
  createListNotifications({ store: new NotificationStore(dynamoDocumentClient(), requireEnv('NOTIFICATIONS_TABLE_NAME')) }),
);
