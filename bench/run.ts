import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_FIRST_RESPONSE_SECONDS, BENCH_MARKETPLACE, BENCH_SECRET, benchDeadlines, startReceiver } from './deadlines';
import { benchIngestion } from './ingestion';
import { benchKpiReports } from './kpi-report';

/**
 * `npm run bench`: starts the local stack as `npm start` does (real clock, in memory) in its
 * own process, so the load generator does not share its event loop, and measures it.
 * Not part of `npm test`: figures vary with the machine; nothing here asserts a timing.
 */
async function main(): Promise<void> {
  const count = Number(process.env.BENCH_COUNT ?? 2000);
  const deadlineCount = Number(process.env.BENCH_DEADLINES ?? 200);
  const receiver = await startReceiver();
  const configFile = join(mkdtempSync(join(tmpdir(), 'aftercare-bench-')), 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      marketplaces: {
        [BENCH_MARKETPLACE]: {
          webhookSecrets: [BENCH_SECRET],
          sla: { default: { firstResponseSeconds: BENCH_FIRST_RESPONSE_SECONDS, initialHandlingSeconds: 86_400, resolutionSeconds: 172_800 } },
        },
      },
      onCall: { webhookUrl: receiver.url },
    }),
  );
  const stackArgs = ['infra/local/main.ts', '--port', '0', '--in-memory', '--clock', 'real', '--config', configFile];
  const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', ...stackArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const announced = async (label: string): Promise<string> => {
    const giveUpAt = Date.now() + 120_000;
    for (;;) {
      const line = output.split('\n').find((candidate) => candidate.startsWith(label));
      if (line) return line.slice(label.length).trim();
      if (Date.now() > giveUpAt || child.exitCode !== null) throw new Error(`the stack did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  try {
    const url = await announced('aftercare local stack ready on');
    await benchIngestion(
      {
        url,
        secret: await announced('marketplace "demo" webhook secret:'),
        dynamodbEndpoint: await announced('dynamodb endpoint:'),
        sqsEndpoint: await announced('sqs endpoint:'),
        eventsQueueUrl: `${await announced('sqs endpoint:')}/000000000000/aftercare-events`,
        nowSeconds: () => Math.floor(Date.now() / 1000),
      },
      count,
    );
    await benchDeadlines(url, receiver, deadlineCount);
  } finally {
    process.kill(-child.pid!, 'SIGINT');
    await receiver.close();
  }
  await benchKpiReports();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
