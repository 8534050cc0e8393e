import { clock } from '@shared/clock';
import { messageStoreFromEnv } from '@shared/conversation/message-store-from-env';
import { httpHandler } from '@shared/http/http-handler';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { createEraseMessage } from './erase-message';

export const handler = httpHandler(createEraseMessage({ tickets: ticketRepositoryFromEnv(), messages: messageStoreFromEnv(), clock }));
