import { dynamoDocumentClient } from '@shared/aws/clients';
import { clock } from '@shared/clock';
import { requireEnv } from '@shared/config/env';
import { MessageStore } from '@shared/conversation/message-store';
import { TicketRepository } from './ticket-repository';

/**
 * The ticket repository on the tables named in the function's environment; with the messages
 * table when the function is granted it (functions whose changes record messages).
 */
export function ticketRepositoryFromEnv(): TicketRepository {
  const messagesTable = process.env.MESSAGES_TABLE_NAME;
  return new TicketRepository({
    client: dynamoDocumentClient(),
    ticketsTable: requireEnv('TICKETS_TABLE_NAME'),
    auditTable: requireEnv('AUDIT_TABLE_NAME'),
    clock,
    ...(messagesTable ? { messages: new MessageStore(dynamoDocumentClient(), messagesTable) } : {}),
  });
}
