import { clock } from '@shared/clock';
import { workflowHandler } from '@shared/observability/handlers';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { createPlanNextStep } from './plan-next-step';

export const handler = workflowHandler(createPlanNextStep({ tickets: ticketRepositoryFromEnv(), clock }));
