import { CheckpointStore } from '@shared/audit/checkpoints';
import { s3 } from '@shared/aws/clients';
import { requireEnv } from '@shared/config/env';
import { httpHandler } from '@shared/http/http-handler';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { createGetTicket } from './get-ticket';

export const handler = httpHandler(
  createGetTicket({
    tickets: ticketRepositoryFromEnv(),
    checkpoints: new CheckpointStore(s3(), requireEnv('CHECKPOINTS_BUCKET_NAME')),
  }),
);
