import { dynamoDocumentClient } from '@shared/aws/clients';
import { clock } from '@shared/clock';
import { requireEnv } from '@shared/config/env';
import { httpHandler } from '@shared/http/http-handler';
import { TicketQueue } from '@shared/tickets/ticket-queue';
import { createListTickets } from './list-tickets';

export const handler = httpHandler(createListTickets({ queue: new TicketQueue(dynamoDocumentClient(), requireEnv('TICKETS_TABLE_NAME'), clock) }));
