import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SFNClient,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { complaintCreated, StackClient } from '../support/http-client';
import { startLocalStackProcess, type RunningLocalStack } from '../support/local-stack-process';

const MINUTE = 60;

interface AuditEvent {
  readonly action: string;
  readonly at: string;
  readonly reason?: string;
}

/**
 * Nothing is lost between DynamoDB and Step Functions: on the local stack (manual clock), a
 * Step Functions call that fails, an execution stopped by hand and one failed mid-wait each
 * leave the ticket's intent recorded, and the reconciler (every minute) repairs the workflow
 * within two runs; the deadlines still fire on time, or are recorded late with the reason.
 */
describe('workflow repair on the local stack', () => {
  let stack: RunningLocalStack;
  let api: StackClient;
  let sfn: SFNClient;
  let secret: string;
  let stateMachineArn: string;

  beforeAll(async () => {
    stack = await startLocalStackProcess(['--port', '0', '--in-memory', '--clock', 'manual']);
    api = new StackClient(stack.url);
    secret = stack.announced('marketplace "demo" webhook secret');
    stateMachineArn = stack.announced('state machine complaint');
    sfn = new SFNClient({ endpoint: stack.announced('step functions endpoint'), region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  }, 180_000);

  afterAll(async () => {
    sfn?.destroy();
    await stack?.stop();
  });

  const executionArn = (name: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  async function status(name: string): Promise<string> {
    try {
      return (await sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(name) }))).status!;
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return 'MISSING';
      throw error;
    }
  }
  /** The next `times` calls of a Step Functions operation fail (3 answers: one SDK call with its retries). */
  const outage = async (operation: string, times = 3) => expect((await api.post('/_local/faults', { service: 'stepfunctions', operation, times })).status).toBe(200);
  const ticket = async (ticketId: string) => (await api.get(`/tickets/${ticketId}`, await api.token('manager'))).body.ticket;
  const audit = async (ticketId: string) => (await api.get(`/audit/tickets/${ticketId}`, await api.token('auditor'))).body.events as AuditEvent[];
  const repairs = async (ticketId: string) => (await audit(ticketId)).filter((event) => event.action === 'workflow.repaired');
  /** Two runs of the reconciler, which runs every minute. */
  const twoReconcilerRuns = async () => {
    await api.advance(MINUTE);
    await api.advance(MINUTE);
  };

  async function openComplaint(reference: string): Promise<{ ticketId: string; createdMs: number }> {
    const accepted = await api.sendWebhook('demo', secret, JSON.stringify(complaintCreated(reference)));
    expect(accepted.status).toBe(202);
    await api.advance(0);
    const opened = await ticket(accepted.body.ticketId);
    return { ticketId: opened.id, createdMs: Date.parse(opened.createdAt) };
  }

  /** Seconds since the ticket opened, at which the audit trail recorded `action`. */
  const recordedAt = async (ticketId: string, createdMs: number, action: string) =>
    (await audit(ticketId)).filter((event) => event.action === action).map((event) => (Date.parse(event.at) - createdMs) / 1000);

  async function advanceTo(createdMs: number, secondsAfterOpening: number) {
    const now = Date.parse((await api.get('/_local/clock')).body.now);
    await api.advance(Math.max(0, (createdMs + secondsAfterOpening * 1000 - now) / 1000));
  }

  it('starts the execution whose StartExecution failed, and the warning and breach still come on time', async () => {
    await outage('StartExecution');
    const { ticketId, createdMs } = await openComplaint('repair-start');
    expect(await ticket(ticketId)).toMatchObject({ stage: 'awaiting_first_response', awaiting: null, workflow: { generation: 1 } });
    expect(await status(`${ticketId}-1`)).toBe('MISSING');

    await twoReconcilerRuns();
    expect(await status(`${ticketId}-1`)).toBe('RUNNING');
    expect(await ticket(ticketId)).toMatchObject({ awaiting: { step: 'respond' } });
    expect((await repairs(ticketId)).map((event) => event.reason)).toEqual([`no execution ${ticketId}-1 was running (its start failed or was lost): starting it`]);

    await advanceTo(createdMs, 15 * MINUTE);
    expect(await recordedAt(ticketId, createdMs, 'sla.warning')).toEqual([12 * MINUTE]);
    expect(await recordedAt(ticketId, createdMs, 'sla.breached')).toEqual([15 * MINUTE]);
  });

  it('completes the step whose SendTaskSuccess failed; the caller got 200 for the applied change', async () => {
    const { ticketId, createdMs } = await openComplaint('repair-callback');
    await outage('SendTaskSuccess');
    const responded = await api.post(`/tickets/${ticketId}/actions`, { type: 'respond', message: 'On it.' }, await api.token('agent'));
    expect(responded.status).toBe(200);
    expect(responded.body.ticket).toMatchObject({ stage: 'awaiting_handling' });
    await api.advance(0);
    expect(await ticket(ticketId)).toMatchObject({ stage: 'awaiting_handling', awaiting: null });

    await twoReconcilerRuns();
    expect(await ticket(ticketId)).toMatchObject({ stage: 'awaiting_handling', awaiting: { step: 'handle' } });
    expect((await repairs(ticketId)).map((event) => event.reason)).toEqual([
      expect.stringMatching(/^the respond step, done at .+, was not yet completed in Step Functions: completed it$/),
    ]);
    // The first response was met: past its deadline there is neither warning nor breach, only the next deadline's wait.
    await advanceTo(createdMs, 16 * MINUTE);
    expect((await audit(ticketId)).map((event) => event.action).filter((action) => action.startsWith('sla.'))).toEqual([]);
    expect(await status(`${ticketId}-1`)).toBe('RUNNING');
  });

  it('resumes an execution stopped by hand in a new generation, giving the warning whose time passed meanwhile', async () => {
    const { ticketId, createdMs } = await openComplaint('repair-stopped');
    await advanceTo(createdMs, 11 * MINUTE + 30);
    await sfn.send(new StopExecutionCommand({ executionArn: executionArn(`${ticketId}-1`), error: 'Operator.Stop', cause: 'stopped by hand' }));
    expect(await status(`${ticketId}-1`)).toBe('ABORTED');

    await twoReconcilerRuns();
    expect(await status(`${ticketId}-2`)).toBe('RUNNING');
    expect(await ticket(ticketId)).toMatchObject({ workflow: { generation: 2 }, awaiting: { step: 'respond' } });
    expect((await repairs(ticketId)).map((event) => event.reason)).toEqual([
      `execution ${ticketId}-1 ended (ABORTED: Operator.Stop: stopped by hand) with the ticket open: resumed in a new execution`,
    ]);
    // The warning was due at 12:00, while no execution ran: given as soon as the workflow was back, before 13:30.
    const [warnedAt] = await recordedAt(ticketId, createdMs, 'sla.warning');
    expect(warnedAt).toBeGreaterThanOrEqual(12 * MINUTE);
    expect(warnedAt).toBeLessThanOrEqual(13 * MINUTE + 30);
    await advanceTo(createdMs, 15 * MINUTE);
    expect(await recordedAt(ticketId, createdMs, 'sla.breached')).toEqual([15 * MINUTE]);
  });

  it('resumes an execution failed mid-wait (its restart failing once too), and records the deadline missed meanwhile as late, with the reason', async () => {
    const { ticketId, createdMs } = await openComplaint('repair-failed');
    await advanceTo(createdMs, 14 * MINUTE + 45);
    // A task token failed from outside: the waiting state's catch-all ends the execution in HandToReconciler.
    const history = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: executionArn(`${ticketId}-1`), maxResults: 1000 }))).events ?? [];
    const scheduled = history.filter((event) => event.type === 'TaskScheduled').at(-1)!;
    const taskToken = JSON.parse(scheduled.taskScheduledEventDetails!.parameters!).Payload.taskToken as string;
    await sfn.send(new SendTaskFailureCommand({ taskToken, error: 'Agent.Lost', cause: 'the agent tool crashed' }));
    await api.advance(0);
    const failed = await sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(`${ticketId}-1`) }));
    expect(failed).toMatchObject({ status: 'FAILED', error: 'HandedToReconciler' });

    // The first repair's start fails too: the second run starts it, after the 15-minute deadline.
    await outage('StartExecution');
    await twoReconcilerRuns();
    expect(await status(`${ticketId}-2`)).toBe('RUNNING');
    expect((await repairs(ticketId)).map((event) => event.reason)).toEqual([
      `execution ${ticketId}-1 ended (FAILED: HandedToReconciler: a workflow step failed past its retries; the reconciler resumes the ticket in a new execution) with the ticket open: resumed in a new execution`,
      `no execution ${ticketId}-2 was running (its start failed or was lost): starting it`,
    ]);
    // The new execution finds the deadline past: its wait times out after the 1-second minimum.
    await api.advance(1);
    const breach = (await audit(ticketId)).find((event) => event.action === 'sla.breached')!;
    const lateBy = (Date.parse(breach.at) - createdMs) / 1000 - 15 * MINUTE;
    expect(lateBy).toBeGreaterThan(0);
    expect(lateBy).toBeLessThanOrEqual(2 * MINUTE);
    expect(breach.reason).toBe(`firstResponse was due at ${new Date(createdMs + 15 * MINUTE * 1000).toISOString()}; ${Math.round(lateBy)} s late`);
    expect(await ticket(ticketId)).toMatchObject({ breaches: [{ metric: 'firstResponse', lateBySeconds: Math.round(lateBy) }], awaiting: { step: 'respond' } });
  });
});
