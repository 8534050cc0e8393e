import { clock } from '@shared/clock';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { createPlanNextStep } from './plan-next-step';

export const handler = createPlanNextStep({ tickets: ticketRepositoryFromEnv(), clock });
