import { stepFunctions } from '@shared/aws/clients';
import { clock } from '@shared/clock';
import { requireEnv } from '@shared/config/env';
import { loadMarketplaceRegistry } from '@shared/config/marketplaces';
import { counter } from '@shared/observability/metrics';
import { scheduledHandler } from '@shared/observability/handlers';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { createReconcileWorkflows } from './reconcile-workflows';

export const handler = scheduledHandler(
  createReconcileWorkflows({
    tickets: ticketRepositoryFromEnv(),
    sfn: stepFunctions(),
    clock,
    stateMachineArns: { complaint: requireEnv('COMPLAINT_STATE_MACHINE_ARN'), return: requireEnv('RETURN_STATE_MACHINE_ARN') },
    registry: loadMarketplaceRegistry,
    metrics: counter,
  }),
);
