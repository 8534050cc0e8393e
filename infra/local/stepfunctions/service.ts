import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import aslValidator from 'asl-validator';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { ActivityTracker } from '../activity';
import type { LocalClock } from '../clock/local-clock';
import { StepFunctionsApiError } from './api-error';
import type { AslMachine } from './asl';
import { LocalExecution } from './execution';
import type { HistoryEvent } from './history';
import { closeServer, serveStepFunctionsApi } from './http-server';
import type { InjectedFaults } from './injected-faults';
import { pageOf } from './pagination';
import type { RegisteredStateMachine } from './registered-state-machine';
import { optionalBoolean, optionalString, pageSize, requiredString, type ApiRequest } from './request-fields';
import { ArnBuilder, checkArn, checkName } from './resource-names';
import { rewriteDefinition, type RewrittenDefinition } from './rewrite-definition';
import { TaskTokens } from './task-tokens';
import { EXECUTION_STATUSES, type ExecutionStatus, type LambdaInvoker } from './types';

/** What the local Step Functions service is built from. */
export interface LocalStepFunctionsOptions {
  /** The stack's clock: Wait states, task timeouts, heartbeats, retries and dates run on it. */
  readonly clock: LocalClock;
  /** Told when executions are busy, so a manual clock advance can wait for them to settle. */
  readonly activity: ActivityTracker;
  /** Runs the Lambda functions the Task states call. */
  readonly invokeLambda: LambdaInvoker;
  readonly region?: string;
  readonly accountId?: string;
}

/** An item of ListExecutions. */
export interface ExecutionListItem {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly startDate: number;
  readonly stopDate?: number;
}

/** DescribeExecution's answer. Dates are epoch seconds on the stack's clock. */
export interface DescribedExecution extends ExecutionListItem {
  readonly input: string;
  readonly inputDetails: { readonly included: boolean };
  readonly output?: string;
  readonly outputDetails?: { readonly included: boolean };
  readonly error?: string;
  readonly cause?: string;
  readonly redriveCount: number;
}

/** Input and output size limit of Step Functions (256 KiB). */
const MAX_PAYLOAD_BYTES = 256 * 1024;
const DEFAULT_REGION = 'us-east-1';
const DEFAULT_ACCOUNT_ID = '000000000000';
const seconds = (ms: number): number => ms / 1000;

/**
 * The local Step Functions service: the Step Functions API (the operations the project uses)
 * over `aws-local-stepfunctions`, with task tokens, timeouts, waits and retries on the stack's
 * clock. Everything is kept in memory for the life of the service and nothing is evicted:
 * state machines, executions with their histories, and task tokens (a restarted stack starts
 * new executions, which pick their tickets up where they are).
 */
export class LocalStepFunctions {
  private readonly region: string;
  private readonly arns: ArnBuilder;
  private readonly machines = new Map<string, RegisteredStateMachine>();
  private readonly executions = new Map<string, LocalExecution>();
  private readonly tokens = new TaskTokens();
  private readonly servers: Server[] = [];
  private closed = false;

  constructor(private readonly options: LocalStepFunctionsOptions) {
    this.region = options.region ?? DEFAULT_REGION;
    this.arns = new ArnBuilder(this.region, options.accountId ?? DEFAULT_ACCOUNT_ID);
  }

  /**
   * Registers a state machine from its definition text (placeholders already substituted),
   * validated with asl-validator. Registering a name again replaces its definition for new
   * executions (as UpdateStateMachine would); running ones keep theirs.
   * @throws StepFunctionsApiError `InvalidName`, or `InvalidDefinition` with the reasons
   * (invalid ASL, a Resource or a field the local service does not run).
   */
  registerStateMachine(input: { readonly name: string; readonly definition: string; readonly roleArn?: string }): { stateMachineArn: string } {
    checkName(input.name);
    const definition = parseDefinition(input.name, input.definition);
    let rewritten: RewrittenDefinition;
    let engine: StateMachine;
    try {
      rewritten = rewriteDefinition(definition);
      // Validated as written above; the rewritten one has fields the validator would not expect.
      engine = new StateMachine(rewritten.engineDefinition as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
    } catch (error) {
      throw new StepFunctionsApiError('InvalidDefinition', `state machine ${input.name}: ${(error as Error).message}`);
    }
    const arn = this.arns.stateMachine(input.name);
    this.machines.set(arn, {
      arn,
      name: input.name,
      roleArn: input.roleArn ?? this.arns.defaultRole(input.name),
      definitionText: input.definition,
      rewritten,
      engine,
      creationDateMs: this.machines.get(arn)?.creationDateMs ?? this.options.clock.nowMs(),
    });
    return { stateMachineArn: arn };
  }

  /** Serves the Step Functions API over HTTP (port 0: any free port). */
  async listen(input: { readonly host: string; readonly port: number; readonly faults?: InjectedFaults }): Promise<{ endpoint: string }> {
    const { server, endpoint } = await serveStepFunctionsApi(this, input);
    this.servers.push(server);
    return { endpoint };
  }

  /** Aborts the running executions (their clock timers are cancelled) and closes the HTTP server. */
  async close(): Promise<void> {
    this.closed = true;
    const running = [...this.executions.values()].filter((execution) => execution.status === 'RUNNING');
    for (const execution of running) execution.stop('ABORTED', 'States.Aborted', 'the local Step Functions service closed');
    await Promise.all([...this.executions.values()].map((execution) => execution.finished));
    await Promise.all(this.servers.splice(0).map((server) => closeServer(server)));
  }

  /**
   * StartExecution. The same name and input while that execution runs answers it again (AWS's
   * idempotent start); a name already used otherwise, whether the execution runs with another
   * input or has ended, fails `ExecutionAlreadyExists`, as in AWS.
   */
  startExecution(request: ApiRequest): { executionArn: string; startDate: number } {
    if (this.closed) throw new StepFunctionsApiError('ServiceUnavailable', 'the local Step Functions service is closed');
    const machine = this.machine(request);
    const name = optionalString(request, 'name') ?? randomUUID();
    checkName(name);
    const input = optionalString(request, 'input') ?? '{}';
    checkJson(input, 'InvalidExecutionInput', 'Invalid State Machine Execution Input');
    const executionArn = this.arns.execution(machine.name, name);
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) return { executionArn, startDate: seconds(existing.startDateMs) };
      throw new StepFunctionsApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const execution = new LocalExecution(executionArn, name, machine, input, {
      clock: this.options.clock,
      activity: this.options.activity,
      invokeLambda: this.options.invokeLambda,
      tokens: this.tokens,
      region: this.region,
    });
    this.executions.set(executionArn, execution);
    return { executionArn, startDate: seconds(execution.startDateMs) };
  }

  /** SendTaskSuccess: completes the waiting task with `output` (JSON text). */
  sendTaskSuccess(request: ApiRequest): Record<string, never> {
    const output = requiredString(request, 'output');
    checkJson(output, 'InvalidOutput', 'Invalid Output');
    this.tokens.complete(requiredString(request, 'taskToken'), { kind: 'success', output: JSON.parse(output) as unknown });
    return {};
  }

  /** SendTaskFailure: fails the waiting task; `error` is the name Catch matches, `cause` the text. */
  sendTaskFailure(request: ApiRequest): Record<string, never> {
    const error = optionalString(request, 'error', 256) ?? '';
    const cause = optionalString(request, 'cause', 32768) ?? '';
    this.tokens.complete(requiredString(request, 'taskToken'), { kind: 'failure', error, cause });
    return {};
  }

  /** SendTaskHeartbeat: starts the task's HeartbeatSeconds over. */
  sendTaskHeartbeat(request: ApiRequest): Record<string, never> {
    this.tokens.heartbeat(requiredString(request, 'taskToken'));
    return {};
  }

  /** DescribeExecution. */
  describeExecution(request: ApiRequest): DescribedExecution {
    const execution = this.execution(request);
    return {
      executionArn: execution.arn,
      stateMachineArn: execution.machine.arn,
      name: execution.name,
      status: execution.status,
      startDate: seconds(execution.startDateMs),
      ...(execution.stopDateMs === undefined ? {} : { stopDate: seconds(execution.stopDateMs) }),
      input: execution.input,
      inputDetails: { included: true },
      ...(execution.output === undefined ? {} : { output: execution.output, outputDetails: { included: true } }),
      ...(execution.error === undefined ? {} : { error: execution.error }),
      ...(execution.cause === undefined ? {} : { cause: execution.cause }),
      redriveCount: 0,
    };
  }

  /** ListExecutions of a state machine, newest first. */
  listExecutions(request: ApiRequest): { executions: ExecutionListItem[]; nextToken?: string } {
    const machine = this.machine(request);
    const statusFilter = optionalString(request, 'statusFilter');
    if (statusFilter !== undefined && !EXECUTION_STATUSES.includes(statusFilter as ExecutionStatus)) {
      throw new StepFunctionsApiError('ValidationException', `Value '${statusFilter}' at 'statusFilter' must be one of ${EXECUTION_STATUSES.join(', ')}`);
    }
    // The map keeps start order, so reversed it is newest first, also for starts at the same clock time.
    const matching = [...this.executions.values()]
      .filter((execution) => execution.machine.arn === machine.arn && (statusFilter === undefined || execution.status === statusFilter))
      .reverse();
    const { page, nextToken } = pageOf(matching, (execution) => execution.arn, pageSize(request), optionalString(request, 'nextToken'));
    return {
      executions: page.map((execution) => ({
        executionArn: execution.arn,
        stateMachineArn: machine.arn,
        name: execution.name,
        status: execution.status,
        startDate: seconds(execution.startDateMs),
        ...(execution.stopDateMs === undefined ? {} : { stopDate: seconds(execution.stopDateMs) }),
      })),
      ...(nextToken === undefined ? {} : { nextToken }),
    };
  }

  /** GetExecutionHistory: AWS-shaped events, oldest first unless `reverseOrder`. */
  getExecutionHistory(request: ApiRequest): { events: HistoryEvent[]; nextToken?: string } {
    const execution = this.execution(request);
    const events = [...execution.history.events];
    if (optionalBoolean(request, 'reverseOrder')) events.reverse();
    const { page, nextToken } = pageOf(events, (event) => String(event.id), pageSize(request), optionalString(request, 'nextToken'));
    const includeData = optionalBoolean(request, 'includeExecutionData') ?? true;
    return { events: includeData ? page : page.map(withoutData), ...(nextToken === undefined ? {} : { nextToken }) };
  }

  /**
   * StopExecution: the execution becomes ABORTED and its task tokens answer TaskTimedOut.
   * Stopping an execution that already ended changes nothing and answers its stop date.
   */
  stopExecution(request: ApiRequest): { stopDate: number } {
    const execution = this.execution(request);
    execution.stop('ABORTED', optionalString(request, 'error', 256), optionalString(request, 'cause', 32768));
    return { stopDate: seconds(execution.stopDateMs ?? this.options.clock.nowMs()) };
  }

  /** DescribeStateMachine: the definition as registered. */
  describeStateMachine(request: ApiRequest): Record<string, unknown> {
    const machine = this.machine(request);
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      status: 'ACTIVE',
      definition: machine.definitionText,
      roleArn: machine.roleArn,
      type: 'STANDARD',
      creationDate: seconds(machine.creationDateMs),
    };
  }

  /** ListStateMachines, in registration order. */
  listStateMachines(request: ApiRequest = {}): { stateMachines: Record<string, unknown>[]; nextToken?: string } {
    const machines = [...this.machines.values()];
    const { page, nextToken } = pageOf(machines, (machine) => machine.arn, pageSize(request), optionalString(request, 'nextToken'));
    return {
      stateMachines: page.map((machine) => ({ stateMachineArn: machine.arn, name: machine.name, type: 'STANDARD', creationDate: seconds(machine.creationDateMs) })),
      ...(nextToken === undefined ? {} : { nextToken }),
    };
  }

  private machine(request: ApiRequest): RegisteredStateMachine {
    const arn = requiredString(request, 'stateMachineArn');
    checkArn(arn, 'stateMachine');
    const machine = this.machines.get(arn);
    if (!machine) throw new StepFunctionsApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  private execution(request: ApiRequest): LocalExecution {
    const arn = requiredString(request, 'executionArn');
    checkArn(arn, 'execution');
    const execution = this.executions.get(arn);
    if (!execution) throw new StepFunctionsApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }
}

/**
 * Creates the local Step Functions service. Register the state machines, then `listen` to
 * serve the API to SDK clients (`AWS_ENDPOINT_URL_SFN`); `close` at shutdown.
 */
export function createLocalStepFunctions(options: LocalStepFunctionsOptions): LocalStepFunctions {
  return new LocalStepFunctions(options);
}

function parseDefinition(name: string, text: string): AslMachine {
  let definition: AslMachine;
  try {
    definition = JSON.parse(text) as AslMachine;
  } catch (error) {
    throw new StepFunctionsApiError('InvalidDefinition', `state machine ${name}: the definition is not JSON: ${(error as Error).message}`);
  }
  if (definition?.QueryLanguage === 'JSONata') {
    throw new StepFunctionsApiError('InvalidDefinition', `state machine ${name}: JSONata is not supported by the local Step Functions service`);
  }
  // The validator writes defaults into what it checks, so it gets a copy.
  const result = aslValidator(structuredClone(definition), { checkArn: true, checkPaths: true });
  if (!result.isValid) {
    throw new StepFunctionsApiError('InvalidDefinition', `state machine ${name}: the definition is invalid:\n${result.errorsText('\n')}`);
  }
  return definition;
}

function checkJson(text: string, code: 'InvalidExecutionInput' | 'InvalidOutput', label: string): void {
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) throw new StepFunctionsApiError(code, `${label}: larger than ${MAX_PAYLOAD_BYTES} bytes`);
  try {
    JSON.parse(text);
  } catch (error) {
    throw new StepFunctionsApiError(code, `${label}: not JSON (${(error as Error).message})`);
  }
}

/** A history event without the inputs and outputs (`includeExecutionData: false`). */
function withoutData(event: HistoryEvent): HistoryEvent {
  const stripped = Object.entries(event).map(([key, value]) => {
    if (!key.endsWith('EventDetails') || value === null || typeof value !== 'object') return [key, value];
    const { input: _input, output: _output, parameters: _parameters, ...rest } = value as Record<string, unknown>;
    return [key, rest];
  });
  return Object.fromEntries(stripped) as HistoryEvent;
}
