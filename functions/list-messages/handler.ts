import { messageStoreFromEnv } from '@shared/conversation/message-store-from-env';
import { httpHandler } from '@shared/http/http-handler';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { createListMessages } from './list-messages';

export const handler = httpHandler(createListMessages({ tickets: ticketRepositoryFromEnv(), messages: messageStoreFromEnv() }));
