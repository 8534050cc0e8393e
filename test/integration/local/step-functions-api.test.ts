import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { callbackMachine, createHarness, type Harness } from '../../unit/local/step-functions/harness';

/** The real SFN client against the local service over HTTP: the same exception classes as in AWS. */
describe('local Step Functions API through @aws-sdk/client-sfn', () => {
  let h: Harness;
  let client: SFNClient;
  let machine: string;

  beforeAll(async () => {
    h = createHarness();
    h.functions.set('prepare', () => ({ seconds: 60 }));
    machine = h.register(callbackMachine);
    const { endpoint } = await h.sfn.listen({ host: '127.0.0.1', port: 0 });
    client = new SFNClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });

  afterAll(async () => {
    client.destroy();
    await h.sfn.close();
  });

  it('runs a waitForTaskToken task to success', async () => {
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'api-happy', input: '{}' }));
    await h.advance(0);
    await client.send(new SendTaskSuccessCommand({ taskToken: h.tokenSentTo('notify'), output: '{"ok":true}' }));
    await h.advance(0);
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(described).toMatchObject({ status: 'SUCCEEDED', output: '{"ok":true}', name: 'api-happy' });
    expect(described.startDate).toEqual(new Date(Date.parse('2026-01-01T00:00:00.000Z')));
  });

  it('raises the AWS exception classes', async () => {
    await client.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'api-dup', input: '{}' }));
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'api-dup', input: '{"x":1}' }))).rejects.toBeInstanceOf(
      ExecutionAlreadyExists,
    );
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: 'AQforged', output: '{}' }))).rejects.toBeInstanceOf(InvalidToken);
    await expect(client.send(new DescribeExecutionCommand({ executionArn: `${machine}:nope` }))).rejects.toBeInstanceOf(ExecutionDoesNotExist);

    await h.advance(0);
    const token = h.tokenSentTo('notify');
    await h.advance(60);
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
  });
});
