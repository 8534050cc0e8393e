import { startDynamoDbLocal } from '../../../infra/local/aws/dynamodb-local';
import { freePort } from '../../../infra/local/ports';

/** The stack cannot run without DynamoDB Local: its exit is reported, a requested stop is not. */
describe('DynamoDB Local exiting on its own', () => {
  it('tells the caller why when it is killed, with its pid and the signal', async () => {
    const reasons: string[] = [];
    const local = await startDynamoDbLocal({ port: await freePort(), onExit: (reason) => reasons.push(reason) });
    const reported = new Promise<void>((resolve) => {
      const poll = setInterval(() => reasons.length > 0 && (clearInterval(poll), resolve()), 20);
    });
    process.kill(local.pid, 'SIGKILL');
    await reported;
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(new RegExp(`^DynamoDB Local \\(pid ${local.pid}\\) exited on its own \\(SIGKILL\\)`));
    await local.stop();
    expect(reasons).toHaveLength(1);
  }, 60_000);

  it('says nothing when it is stopped', async () => {
    const reasons: string[] = [];
    const local = await startDynamoDbLocal({ port: await freePort(), onExit: (reason) => reasons.push(reason) });
    await local.stop();
    expect(reasons).toEqual([]);
  }, 60_000);
});
