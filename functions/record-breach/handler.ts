import { clock } from '@shared/clock';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { createRecordBreach } from './record-breach';

export const handler = createRecordBreach({ tickets: ticketRepositoryFromEnv(), clock });
