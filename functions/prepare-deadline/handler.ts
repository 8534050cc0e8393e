import { clock } from '@shared/clock';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { createPrepareDeadline } from './prepare-deadline';

export const handler = createPrepareDeadline({ tickets: ticketRepositoryFromEnv(), clock });
