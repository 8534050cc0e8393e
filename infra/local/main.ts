import { DEMO_MARKETPLACE, DEMO_WEBHOOK_SECRET } from './local-config';
import { parseCliOptions, USAGE } from './cli-options';
import { startLocalStack, type LocalStack } from './local-stack';

/** How long stopping may take before the process exits anyway. */
const STOP_WITHIN_MS = 20_000;

/** `npm start`: runs the whole stack on this machine until Ctrl-C. */
async function main(): Promise<void> {
  let options;
  try {
    options = parseCliOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }

  let stack: LocalStack | undefined;
  let stopping = false;
  // Once: a signal or a fatal error, whichever comes first.
  const stopAndExit = (code: number) => {
    if (stopping) return;
    stopping = true;
    // Stopping waits for work in flight, which a stack that lost DynamoDB Local may never finish: it gets a bound.
    setTimeout(() => {
      console.error(`not stopped within ${STOP_WITHIN_MS / 1000} s: exiting`);
      process.exit(code || 1);
    }, STOP_WITHIN_MS).unref();
    (stack?.stop() ?? Promise.resolve()).then(
      () => {
        console.log('aftercare local stack stopped');
        process.exit(code);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  const fail = (reason: string) => {
    if (stopping) return;
    const kept = options.dataDir ? `${options.dataDir} keeps what was written` : 'the tables were in memory and are gone';
    console.error(`${reason}\nstopping: the stack cannot run without it (${kept})`);
    stopAndExit(1);
  };

  // A stack whose DynamoDB Local is gone would answer every request with an error: it stops, and says why.
  stack = await startLocalStack({ ...options, log: (line) => console.error(line), onFatal: (reason) => fail(reason) });
  console.log(`clock: ${stack.clock.mode}, now ${stack.clock.now().toISOString()}`);
  console.log(`data: ${options.dataDir ?? 'in memory'}`);
  console.log(`dynamodb endpoint: ${stack.endpoints.dynamodb}`);
  console.log(`sqs endpoint: ${stack.endpoints.sqs}`);
  console.log(`step functions endpoint: ${stack.endpoints.sfn}`);
  console.log(`s3 endpoint: ${stack.endpoints.s3}`);
  for (const [id, arn] of Object.entries(stack.stateMachineArns)) console.log(`state machine ${id}: ${arn}`);
  console.log(`marketplace "${DEMO_MARKETPLACE}" webhook secret: ${DEMO_WEBHOOK_SECRET}`);
  console.log(`dev JWT key (HS256): ${stack.devJwtKey}  — or POST /_local/tokens {"role":"agent","marketplace":"demo"}`);
  console.log(`ops console: ${stack.url}/console/ (sign in with a role and a marketplace)`);
  console.log(`aftercare local stack ready on ${stack.url}`);

  const shutdown = (signal: string) => {
    if (stopping) return;
    console.log(`${signal}: stopping`);
    stopAndExit(0);
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
