import { httpHandler } from '@shared/http/http-handler';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { createGetTicket } from './get-ticket';

export const handler = httpHandler(createGetTicket({ tickets: ticketRepositoryFromEnv() }));
