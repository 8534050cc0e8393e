import { clock } from '@shared/clock';
import { workflowHandler } from '@shared/observability/handlers';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { createAwaitAgent } from './await-agent';

export const handler = workflowHandler(createAwaitAgent({ tickets: ticketRepositoryFromEnv(), clock }));
