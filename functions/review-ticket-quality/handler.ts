import { dynamoDocumentClient } from '@shared/aws/clients';
import { clock } from '@shared/clock';
import { requireEnv } from '@shared/config/env';
import { httpHandler } from '@shared/http/http-handler';
import { QualityStore } from '@shared/quality/quality-store';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { createReviewTicketQuality } from './review-ticket-quality';

export const handler = httpHandler(
  createReviewTicketQuality({
    store: new QualityStore(dynamoDocumentClient(), requireEnv('REPORTS_TABLE_NAME')),
    tickets: ticketRepositoryFromEnv(),
    clock,
  }),
);
