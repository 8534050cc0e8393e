import { DescribeExecutionCommand, ExecutionDoesNotExist, ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Clock } from '@shared/clock';
import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import { logger } from '@shared/logger';
import { METRIC_NAMES, type Counter } from '@shared/observability/metrics';
import { isOpen } from '@shared/tickets/queue-keys';
import { retryOnConflict } from '@shared/tickets/retry-on-conflict';
import type { Ticket, TicketKind } from '@shared/tickets/ticket';
import { NO_DEADLINE, type ChangeContext, type TicketRepository } from '@shared/tickets/ticket-repository';
import { sendCompletionOf } from '@shared/workflows/complete-step';
import { startExecutionFor } from '@shared/workflows/start-execution';
import { executionName, nextGeneration } from '@shared/workflows/workflow-intent';

/**
 * A ticket changed this recently may have its Step Functions call still in flight (the start
 * after the opening commit, the completion after an action): left to the next run.
 */
export const RECONCILE_GRACE_SECONDS = 30;

export interface ReconcileWorkflowsDeps {
  readonly tickets: TicketRepository;
  readonly sfn: SFNClient;
  readonly clock: Clock;
  /** State machine each kind of ticket runs on. */
  readonly stateMachineArns: Readonly<Partial<Record<TicketKind, string>>>;
  readonly registry: () => Promise<MarketplaceRegistry>;
  readonly metrics: Counter;
}

type Repair = 'started' | 'resumed' | 'completed';

const reconcilerChange = (reason: string): ChangeContext => ({
  actor: { type: 'system', id: 'reconciler' },
  via: 'workflow',
  action: 'workflow.repaired',
  reason,
});

/**
 * Scheduled every minute (EventBridge in AWS, the stack's clock locally): makes Step Functions
 * match what the tickets recorded. For each open ticket (a Query per marketplace on the sparse
 * `open-by-due` index, which holds each one's workflow intent), the execution its intent names
 * must be running: missing (its start failed, or the local service restarted) it is started
 * under that name; ended (failed, stopped by hand, timed out) the ticket moves to the next
 * generation and a new execution resumes it at its stage with its deadlines; running but
 * waiting on a step the ticket records as done, the task token is sent again. Each repair is
 * audited on the ticket and counted (`WorkflowRepairs`, alarmed in AWS). Running executions
 * are listed once per run (ListExecutions, a page per thousand), so a healthy ticket costs
 * neither a Step Functions call nor a read of its own.
 */
export function createReconcileWorkflows(deps: ReconcileWorkflowsDeps) {
  return async function reconcileWorkflows(event?: unknown) {
    const graceSeconds = afterRestart(event) ? 0 : RECONCILE_GRACE_SECONDS;
    const running = await runningExecutionNames(deps);
    const marketplaces = Object.keys((await deps.registry()).marketplaces);
    let checked = 0;
    const repaired: Record<Repair, number> = { started: 0, resumed: 0, completed: 0 };
    let failed = 0;
    for (const marketplace of marketplaces) {
      for (const entry of await deps.tickets.openTicketsDueBefore(marketplace, `${NO_DEADLINE}~`)) {
        const stateMachineArn = deps.stateMachineArns[entry.kind];
        // Only tickets that recorded a workflow intent: one opened before intents were recorded
        // (or written without a workflow) has no execution name the reconciler may claim.
        if (!entry.workflow || !stateMachineArn) continue;
        checked += 1;
        try {
          const repair = await reconcileTicket(deps, { id: entry.ticketId, workflow: entry.workflow }, stateMachineArn, running, graceSeconds);
          if (repair) repaired[repair] += 1;
        } catch (error) {
          // One ticket's failure must not stop the others; it is tried again next run.
          failed += 1;
          logger.warn('could not repair a workflow', { ticketId: entry.ticketId, error: (error as Error).name, message: (error as Error).message });
        }
      }
    }
    const total = repaired.started + repaired.resumed + repaired.completed;
    if (total) deps.metrics.count(METRIC_NAMES.workflowRepairs, total);
    if (total || failed) logger.info('workflows reconciled', { checked, ...repaired, failed });
    return { checked, ...repaired, failed };
  };
}

async function runningExecutionNames(deps: ReconcileWorkflowsDeps): Promise<Set<string>> {
  const names = new Set<string>();
  for (const stateMachineArn of new Set(Object.values(deps.stateMachineArns))) {
    let nextToken: string | undefined;
    do {
      const page = await deps.sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 1000, nextToken }));
      for (const execution of page.executions ?? []) if (execution.name) names.add(execution.name);
      nextToken = page.nextToken;
    } while (nextToken);
  }
  return names;
}

/**
 * The local runtime runs the reconciler once as it starts on kept data (`{"afterRestart": true}`):
 * its Step Functions service starts empty, and nothing can be in flight, so no grace is given.
 */
function afterRestart(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as { afterRestart?: unknown }).afterRestart === true;
}

/** `intent` is the ticket's id and workflow intent as the index holds them; the ticket itself is read only when its execution is not running. */
async function reconcileTicket(
  deps: ReconcileWorkflowsDeps,
  intent: Pick<Ticket, 'id' | 'workflow'>,
  stateMachineArn: string,
  running: ReadonlySet<string>,
  graceSeconds: number,
): Promise<Repair | undefined> {
  const nowMs = deps.clock.nowMs();
  const settledFor = (iso: string) => nowMs - Date.parse(iso) >= graceSeconds * 1000;
  const name = executionName(intent);
  if (running.has(name)) {
    const completing = intent.workflow?.completing;
    if (!completing || !settledFor(completing.at)) return undefined;
    // Waiting on a step the ticket records as done: the first completion did not reach Step Functions.
    // It is sent again with the plan for the ticket as it is now, read afresh.
    const ticket = await deps.tickets.find(intent.id);
    if (ticket?.workflow?.completing?.taskToken !== completing.taskToken || !(await sendCompletionOf(deps.sfn, ticket, nowMs))) return undefined;
    await audit(deps, intent.id, `the ${completing.step} step, done at ${completing.at}, was not yet completed in Step Functions: completed it`, (current) => ({
      workflow: { generation: current.workflow?.generation ?? 1 },
    }));
    return 'completed';
  }
  const ticket = await deps.tickets.find(intent.id);
  // Closed, or moved to another generation, since the index was read: the next run sees it as it is now.
  if (!ticket?.workflow || executionName(ticket) !== name || !isOpen(ticket)) return undefined;
  if (!settledFor(ticket.updatedAt)) return undefined;
  const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  const described = await deps.sfn.send(new DescribeExecutionCommand({ executionArn })).catch((error: unknown) => {
    if (error instanceof ExecutionDoesNotExist) return undefined;
    throw error;
  });
  if (described?.status === 'RUNNING') return undefined; // started since the list was taken
  if (!described) {
    // Audited first, so the trail reads in order; a start that fails is found missing, and started, on the next run.
    const audited = await audit(deps, ticket.id, `no execution ${name} was running (its start failed or was lost): starting it`, () => ({}));
    await startExecutionFor(deps.sfn, stateMachineArn, audited, deps.clock.nowMs());
    return 'started';
  }
  // The execution ended while the ticket is open: the next generation resumes it. The intent is written first,
  // so a start that fails now is found missing, and started, on the next run.
  const why = [described.status, described.error, described.cause].filter(Boolean).join(': ');
  const resumed = await audit(deps, ticket.id, `execution ${name} ended (${why}) with the ticket open: resumed in a new execution`, (current) => ({
    workflow: nextGeneration(current),
  }));
  await startExecutionFor(deps.sfn, stateMachineArn, resumed, deps.clock.nowMs());
  return 'resumed';
}

/** Records the repair on the ticket (with its audit event), on a fresh read. */
async function audit(deps: ReconcileWorkflowsDeps, ticketId: string, reason: string, change: (current: Ticket) => Partial<Ticket>): Promise<Ticket> {
  return retryOnConflict(async () => {
    const current = await deps.tickets.get(ticketId);
    return deps.tickets.update(current, change(current), reconcilerChange(reason));
  });
}
