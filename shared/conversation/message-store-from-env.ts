import { dynamoDocumentClient } from '@shared/aws/clients';
import { requireEnv } from '@shared/config/env';
import { MessageStore } from './message-store';

/** The messages table named in the function's environment. */
export function messageStoreFromEnv(): MessageStore {
  return new MessageStore(dynamoDocumentClient(), requireEnv('MESSAGES_TABLE_NAME'));
}
