import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidExecutionInput,
  InvalidName,
  InvalidToken,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskTimedOut,
  ValidationException,
} from '@aws-sdk/client-sfn';
import { callbackMachine, createHarness, START, type Harness } from '../../../unit/local/stepfunctions/harness';

/** The real SFN client against the local service over HTTP: the same answers and exception classes as from AWS. */
describe('local Step Functions API through @aws-sdk/client-sfn', () => {
  let h: Harness;
  let client: SFNClient;
  let endpoint: string;
  let machine: string;

  beforeAll(async () => {
    h = createHarness();
    h.functions.set('prepare', () => ({ seconds: 60 }));
    machine = h.register(callbackMachine);
    ({ endpoint } = await h.sfn.listen({ host: '127.0.0.1', port: 0 }));
    client = new SFNClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  });

  afterAll(async () => {
    client.destroy();
    await h.sfn.close();
  });

  it('runs a waitForTaskToken task to success', async () => {
    const { executionArn, startDate } = await client.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'happy', input: '{"ticketId":"t-1"}' }));
    expect(startDate).toEqual(new Date(START));
    await h.advance(0);

    await client.send(new SendTaskHeartbeatCommand({ taskToken: h.tokenSentTo('notify') }));
    await client.send(new SendTaskSuccessCommand({ taskToken: h.tokenSentTo('notify'), output: '{"ok":true}' }));
    await h.advance(0);

    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(described).toMatchObject({ status: 'SUCCEEDED', output: '{"ok":true}', name: 'happy', stateMachineArn: machine, input: '{"ticketId":"t-1"}' });
    expect(described.startDate).toEqual(new Date(START));
    expect(described.stopDate).toEqual(new Date(START));

    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events!.filter((event) => event.type?.endsWith('StateEntered'))).toHaveLength(3);
    expect(events![0]).toMatchObject({ id: 1, previousEventId: 0, type: 'ExecutionStarted', timestamp: new Date(START) });
    expect(events!.at(-1)?.executionSucceededEventDetails?.output).toBe('{"ok":true}');

    const { executions } = await client.send(new ListExecutionsCommand({ stateMachineArn: machine, statusFilter: 'SUCCEEDED' }));
    expect(executions!.map((item) => item.name)).toEqual(['happy']);
  });

  it('answers a repeated start like AWS: the same execution, or ExecutionAlreadyExists', async () => {
    const first = await client.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'once', input: '{"a":1}' }));
    const again = await client.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'once', input: '{"a":1}' }));
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);

    const conflict = client.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'once', input: '{"a":2}' }));
    await expect(conflict).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await client.send(new StopExecutionCommand({ executionArn: first.executionArn }));
  });

  it('answers TaskTimedOut to a late callback and InvalidToken to a token it never issued', async () => {
    await client.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'late' }));
    await h.advance(0);
    const token = h.tokenSentTo('notify');
    await h.advance(60);

    await expect(client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(client.send(new SendTaskFailureCommand({ taskToken: token, error: 'Late' }))).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: 'AQnever-issued', output: '{}' }))).rejects.toBeInstanceOf(InvalidToken);
  });

  it('raises ExecutionDoesNotExist, StateMachineDoesNotExist, InvalidExecutionInput, InvalidName and ValidationException', async () => {
    const missingExecution = 'arn:aws:states:us-east-1:000000000000:execution:machine-1:missing';
    await expect(client.send(new DescribeExecutionCommand({ executionArn: missingExecution }))).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: `${machine}-gone` }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: machine, input: '{' }))).rejects.toBeInstanceOf(InvalidExecutionInput);
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'no/slash' }))).rejects.toBeInstanceOf(InvalidName);
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: 'AQx', output: undefined as unknown as string }))).rejects.toBeInstanceOf(
      ValidationException,
    );
  });

  it('answers an operation it does not serve with a 400 UnknownOperationException', async () => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.CreateActivity' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'com.amazonaws.states#UnknownOperationException' });
  });
});
