import { clock } from '@shared/clock';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { createAwaitAgent } from './await-agent';

export const handler = createAwaitAgent({ tickets: ticketRepositoryFromEnv(), clock });
