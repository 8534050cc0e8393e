import { dynamoDocumentClient } from '@shared/aws/clients';
import { clock } from '@shared/clock';
import { requireEnv } from '@shared/config/env';
import { TicketRepository } from './ticket-repository';

/** The ticket repository on the tables named in the function's environment. */
export function ticketRepositoryFromEnv(): TicketRepository {
  return new TicketRepository({
    client: dynamoDocumentClient(),
    ticketsTable: requireEnv('TICKETS_TABLE_NAME'),
    auditTable: requireEnv('AUDIT_TABLE_NAME'),
    clock,
  });
}
