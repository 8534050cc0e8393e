import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { StateMachine } from 'aws-local-stepfunctions';
import type { ActivityTracker } from '../activity';
import type { LocalClock } from '../clock/local-clock';
import type { AslMachine } from './asl';
import { rewriteDefinition } from './definition-rewrite';
import { StepFunctionsApiError } from './errors';
import { LocalExecution, type ExecutionStatus, type RegisteredStateMachine } from './execution';
import { startStepFunctionsHttpServer } from './http-server';
import { TaskTokens } from './task-tokens';
import type { LambdaInvoker } from './types';

export interface LocalStepFunctionsOptions {
  readonly clock: LocalClock;
  readonly activity: ActivityTracker;
  readonly invokeLambda: LambdaInvoker;
  readonly region?: string;
  readonly accountId?: string;
}

const MAX_INPUT_BYTES = 256 * 1024;
const NAME_PATTERN = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

/**
 * The local Step Functions service: the Step Functions API over `aws-local-stepfunctions`,
 * with task tokens, timeouts and waits on the stack's clock. State machines are registered
 * from the ASL files at start; executions live in memory (a restarted stack starts new
 * executions for open tickets, which resume at their stage with their stored deadlines).
 */
export class LocalStepFunctions {
  private readonly region: string;
  private readonly accountId: string;
  private readonly machines = new Map<string, RegisteredStateMachine>();
  private readonly executions = new Map<string, LocalExecution>();
  private readonly tokens = new TaskTokens();
  private server?: Server;

  constructor(private readonly options: LocalStepFunctionsOptions) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
  }

  /** Registers a state machine (its placeholders already substituted); fails on an invalid definition. */
  registerStateMachine(input: { name: string; definition: string; roleArn?: string }): { stateMachineArn: string } {
    let machine: AslMachine;
    try {
      machine = JSON.parse(input.definition) as AslMachine;
    } catch (error) {
      throw new Error(`state machine ${input.name}: definition is not JSON: ${(error as Error).message}`);
    }
    try {
      // Constructing validates the definition as written (asl-validator, inside the library).
      new StateMachine(machine as never);
    } catch (error) {
      throw new Error(`state machine ${input.name}: ${(error as Error).message}`);
    }
    const rewritten = rewriteDefinition(machine);
    const arn = `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${input.name}`;
    this.machines.set(arn, {
      arn,
      name: input.name,
      roleArn: input.roleArn ?? `arn:aws:iam::${this.accountId}:role/${input.name}-role`,
      definitionText: input.definition,
      rewritten,
      engine: new StateMachine(rewritten.definition as never, { validationOptions: { checkPaths: false } }),
      timeoutSeconds: machine.TimeoutSeconds,
      createdAtMs: this.options.clock.nowMs(),
    });
    return { stateMachineArn: arn };
  }

  async listen(input: { host: string; port: number }): Promise<{ endpoint: string }> {
    const { server, endpoint } = await startStepFunctionsHttpServer(this, input);
    this.server = server;
    return { endpoint };
  }

  /** Stops every running execution and the HTTP server; leaves no timers behind. */
  async close(): Promise<void> {
    const running = [...this.executions.values()].filter((execution) => execution.status === 'RUNNING');
    for (const execution of running) execution.stop('ABORTED', 'States.Aborted', 'the local stack stopped');
    await Promise.all(running.map((execution) => execution.finished.catch(() => undefined)));
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  startExecution(request: { stateMachineArn?: string; name?: string; input?: string }) {
    const machine = this.machine(request.stateMachineArn);
    const name = request.name ?? randomUUID();
    if (!NAME_PATTERN.test(name)) throw new StepFunctionsApiError('InvalidName', `Invalid Name: '${name}'`);
    const input = request.input ?? '{}';
    if (Buffer.byteLength(input) > MAX_INPUT_BYTES) throw new StepFunctionsApiError('InvalidExecutionInput', 'Input exceeds 262144 bytes');
    try {
      JSON.parse(input);
    } catch {
      throw new StepFunctionsApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input: input is not JSON');
    }
    const arn = `arn:aws:states:${this.region}:${this.accountId}:execution:${machine.name}:${name}`;
    const existing = this.executions.get(arn);
    if (existing) {
      // AWS: the same name and input while the first is running returns it; anything else is refused.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn: arn, startDate: seconds(existing.startDateMs) };
      }
      throw new StepFunctionsApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const execution = new LocalExecution(arn, name, machine, input, {
      clock: this.options.clock,
      activity: this.options.activity,
      invokeLambda: this.options.invokeLambda,
      tokens: this.tokens,
      region: this.region,
    });
    this.executions.set(arn, execution);
    return { executionArn: arn, startDate: seconds(execution.startDateMs) };
  }

  sendTaskSuccess(request: { taskToken?: string; output?: string }) {
    let output: unknown;
    try {
      output = JSON.parse(request.output ?? '');
    } catch {
      throw new StepFunctionsApiError('InvalidOutput', 'Invalid Output: output is not JSON');
    }
    this.tokens.complete(request.taskToken ?? '', { kind: 'success', output });
    return {};
  }

  sendTaskFailure(request: { taskToken?: string; error?: string; cause?: string }) {
    this.tokens.complete(request.taskToken ?? '', { kind: 'failure', error: request.error ?? '', cause: request.cause ?? '' });
    return {};
  }

  sendTaskHeartbeat(request: { taskToken?: string }) {
    this.tokens.heartbeat(request.taskToken ?? '');
    return {};
  }

  describeExecution(request: { executionArn?: string }) {
    const execution = this.execution(request.executionArn);
    return {
      executionArn: execution.arn,
      stateMachineArn: execution.machine.arn,
      name: execution.name,
      status: execution.status,
      startDate: seconds(execution.startDateMs),
      stopDate: seconds(execution.stopDateMs),
      input: execution.input,
      inputDetails: { included: true },
      output: execution.output,
      outputDetails: execution.output === undefined ? undefined : { included: true },
      error: execution.error,
      cause: execution.cause,
    };
  }

  listExecutions(request: { stateMachineArn?: string; statusFilter?: ExecutionStatus; maxResults?: number; nextToken?: string }) {
    const machine = this.machine(request.stateMachineArn);
    const matching = [...this.executions.values()]
      .filter((execution) => execution.machine === machine && (!request.statusFilter || execution.status === request.statusFilter))
      .sort((a, b) => b.startDateMs - a.startDateMs);
    const { page, nextToken } = paginate(matching, request.maxResults, request.nextToken);
    return {
      executions: page.map((execution) => ({
        executionArn: execution.arn,
        stateMachineArn: machine.arn,
        name: execution.name,
        status: execution.status,
        startDate: seconds(execution.startDateMs),
        stopDate: seconds(execution.stopDateMs),
      })),
      nextToken,
    };
  }

  getExecutionHistory(request: { executionArn?: string; reverseOrder?: boolean; maxResults?: number; nextToken?: string }) {
    const events = [...this.execution(request.executionArn).history.events];
    if (request.reverseOrder) events.reverse();
    const { page, nextToken } = paginate(events, request.maxResults, request.nextToken);
    return { events: page, nextToken };
  }

  stopExecution(request: { executionArn?: string; error?: string; cause?: string }) {
    const execution = this.execution(request.executionArn);
    execution.stop('ABORTED', request.error, request.cause);
    return { stopDate: seconds(execution.stopDateMs ?? this.options.clock.nowMs()) };
  }

  describeStateMachine(request: { stateMachineArn?: string }) {
    const machine = this.machine(request.stateMachineArn);
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      status: 'ACTIVE',
      definition: machine.definitionText,
      roleArn: machine.roleArn,
      type: 'STANDARD',
      creationDate: seconds(machine.createdAtMs),
    };
  }

  listStateMachines() {
    return {
      stateMachines: [...this.machines.values()].map((machine) => ({
        stateMachineArn: machine.arn,
        name: machine.name,
        type: 'STANDARD',
        creationDate: seconds(machine.createdAtMs),
      })),
    };
  }

  private machine(arn: string | undefined): RegisteredStateMachine {
    const machine = arn ? this.machines.get(arn) : undefined;
    if (!machine) throw new StepFunctionsApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  private execution(arn: string | undefined): LocalExecution {
    const execution = arn ? this.executions.get(arn) : undefined;
    if (!execution) throw new StepFunctionsApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }
}

function paginate<T>(items: readonly T[], maxResults = 100, nextToken?: string): { page: T[]; nextToken?: string } {
  const size = maxResults > 0 ? Math.min(maxResults, 1000) : 100;
  const start = nextToken ? Number(Buffer.from(nextToken, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw new StepFunctionsApiError('InvalidToken', 'Invalid nextToken');
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return { page, nextToken: next };
}

/** Creates the local Step Functions service. */
export function createLocalStepFunctions(options: LocalStepFunctionsOptions): LocalStepFunctions {
  return new LocalStepFunctions(options);
}
