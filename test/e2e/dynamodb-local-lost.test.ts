import { readdirSync, readFileSync } from 'node:fs';
import { startLocalStackProcess } from '../support/local-stack-process';

/** The pid of the DynamoDB Local listening on `port` (Linux /proc). */
function dynamoDbLocalPid(port: string): number {
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // ended while we looked
    }
    if (args.some((arg) => arg.endsWith('DynamoDBLocal.jar')) && args[args.indexOf('-port') + 1] === port) return Number(entry);
  }
  throw new Error(`no DynamoDB Local listens on port ${port}`);
}

describe('npm start when DynamoDB Local goes away', () => {
  it('says why and exits with code 1, rather than run on without its tables', async () => {
    const stack = await startLocalStackProcess(['--port', '0', '--in-memory']);
    const port = new URL(stack.announced('dynamodb endpoint')).port;
    const pid = dynamoDbLocalPid(port);

    process.kill(pid, 'SIGKILL');

    expect(await stack.exited).toBe(1);
    expect(stack.output()).toContain(`DynamoDB Local (pid ${pid}) exited on its own (SIGKILL)`);
    expect(stack.output()).toContain('stopping: the stack cannot run without it (the tables were in memory and are gone)');
  }, 120_000);
});
