// First: the X-Ray SDK must see manual mode before any handler module loads it.
import './aws/xray-manual-mode';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { BEARER_ENV } from '@shared/auth/bearer-token';
import { useClock } from '@shared/clock';
import { withCalendarFiles } from '@shared/config/marketplaces';
import {
  buckets,
  consumers,
  functions,
  queues,
  routes,
  schedules,
  stateMachines,
  streamConsumers,
  tables,
  type BucketId,
  type FunctionId,
  type QueueId,
  type StateMachineId,
  type TableId,
} from '@infra/resources';
import { ActivityTracker, parkedUntil } from './activity';
import { createTables, startDynamoDbLocal, streamArnOf, type DynamoDbLocal } from './aws/dynamodb-local';
import { LOCAL_CREDENTIALS, LOCAL_REGION, useLocalAwsEnvironment } from './aws/local-aws-environment';
import { startS3Local } from './aws/s3-local';
import { startSqsLocal, type SqsLocal } from './aws/sqs-local';
import type { LocalClock } from './clock/local-clock';
import { createClock } from './clock/parse-clock';
import { createControlRoutes } from './control-routes';
import { DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, DevJwtKey } from './dev-jwt';
import { consoleFiles } from './http/console-files';
import { createLocalHttpServer } from './http/local-http-server';
import { javaProblem } from './java';
import { LocalLambdaRuntime } from './lambda-runtime';
import { localRegistry } from './local-config';
import { freePort } from './ports';
import { QueuePoller } from './queue-poller';
import { LocalScheduler } from './scheduler';
import { createLocalStepFunctions, InjectedFaults } from './stepfunctions';
import { StreamPoller } from './stream-poller';
import { substitutePlaceholders } from './substitute-placeholders';

export interface LocalStackOptions {
  /** Port of the HTTP API on 127.0.0.1 (0 picks a free one). */
  readonly port: number;
  /** `real`, `scaled:N` or `manual`. */
  readonly clock: string;
  /** Folder for DynamoDB Local's files; `undefined` keeps everything in memory. */
  readonly dataDir?: string;
  /** JSON file adding marketplaces to the demo one. */
  readonly configFile?: string;
  readonly log?: (line: string) => void;
  /**
   * Called when a part the stack cannot run without stops on its own (DynamoDB Local), with
   * why. `npm start` stops the stack and exits with an error; without it, the reason is logged.
   */
  readonly onFatal?: (reason: string) => void;
}

export interface LocalStack {
  readonly url: string;
  readonly clock: LocalClock;
  readonly devJwtKey: string;
  readonly endpoints: { readonly dynamodb: string; readonly sqs: string; readonly sfn: string; readonly s3: string };
  readonly queueUrls: Readonly<Record<QueueId, { url: string; deadLetterUrl: string }>>;
  readonly stateMachineArns: Readonly<Record<StateMachineId, string>>;
  stop(): Promise<void>;
}

const localName = (id: string) => `aftercare-${id}`;

/**
 * Starts the whole stack on this machine from the resource description: DynamoDB Local,
 * local SQS with redrive, the local Step Functions service running the ASL files, the
 * Lambda handlers in process, the queue pollers and the HTTP API. One clock drives it all.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => undefined);
  const java = javaProblem();
  if (java) throw new Error(java);

  const clock = createClock(options.clock);
  const activity = new ActivityTracker();
  // Handlers read this clock; a handler waiting on it does not hold up a manual advance.
  useClock({
    nowMs: () => clock.nowMs(),
    now: () => clock.now(),
    waitUntil: (dueMs) => parkedUntil((fire) => clock.schedule(dueMs, fire)),
  });
  const stoppers: (() => Promise<void>)[] = [async () => clock.dispose()];
  const stop = async () => {
    for (const stopPart of stoppers.reverse()) await stopPart().catch((error: unknown) => log(`stop failed: ${String(error)}`));
  };

  try {
    const names = (ids: readonly string[]) => Object.fromEntries(ids.map((id) => [id, localName(id)]));

    const dynamo: DynamoDbLocal = await startDynamoDbLocal({ port: await freePort(), dataDir: options.dataDir, onExit: options.onFatal ?? log });
    stoppers.push(() => dynamo.stop());
    await createTables(dynamo.endpoint, tables, names(Object.keys(tables)));

    const sqsLocal: SqsLocal = await startSqsLocal(queues, names(Object.keys(queues)));
    stoppers.push(() => sqsLocal.stop());

    const s3Local = await startS3Local(Object.keys(buckets).map(localName), options.dataDir);
    stoppers.push(() => s3Local.stop());

    const lambdas = new LocalLambdaRuntime(activity, (id) => localName(id));
    const stepFunctions = createLocalStepFunctions({
      clock,
      activity,
      invokeLambda: (functionArn: string, payload: unknown) => lambdas.invoke(functionArn, payload),
    });
    stoppers.push(() => stepFunctions.close());
    const stateMachineArns = {} as Record<StateMachineId, string>;
    for (const [id, spec] of Object.entries(stateMachines) as [StateMachineId, (typeof stateMachines)[StateMachineId]][]) {
      const substitutions = Object.fromEntries(
        Object.entries(spec.functionArnSubstitutions).map(([placeholder, fn]) => [placeholder, lambdas.arnOf(fn)]),
      );
      const definition = substitutePlaceholders(readFileSync(spec.file, 'utf8'), substitutions, spec.file);
      stateMachineArns[id] = stepFunctions.registerStateMachine({ name: localName(id), definition }).stateMachineArn;
    }
    const faults = new InjectedFaults();
    const { endpoint: sfnEndpoint } = await stepFunctions.listen({ host: '127.0.0.1', port: 0, faults });

    const endpoints = { dynamodb: dynamo.endpoint, sqs: sqsLocal.endpoint, sfn: sfnEndpoint, s3: s3Local.endpoint };
    useLocalAwsEnvironment(endpoints);
    setResourceEnvironment(sqsLocal, stateMachineArns);
    const registry = await withCalendarFiles(localRegistry(options.configFile), options.configFile ? dirname(options.configFile) : undefined);
    process.env.MARKETPLACES_CONFIG = JSON.stringify(registry);
    // No CloudWatch reads the metric lines here; they would only crowd the stack's output.
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
    await lambdas.load(functions);

    const sqsClient = new SQSClient({ endpoint: sqsLocal.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    stoppers.push(async () => sqsClient.destroy());
    for (const consumer of consumers) {
      const queue = sqsLocal.queues[consumer.queue]!;
      const poller = new QueuePoller({
        sqs: sqsClient,
        queueUrl: queue.url,
        queueArn: queue.arn,
        batchSize: consumer.batchSize,
        concurrentBatches: consumer.maxConcurrentBatches ?? 1,
        visibilityTimeoutSeconds: queues[consumer.queue].visibilityTimeoutSeconds,
        invoke: (event: SQSEvent) => lambdas.invoke(consumer.function, event),
        activity,
        onError: (error) => log(`queue ${consumer.queue}: ${describe(error)}`),
      });
      poller.start();
      stoppers.push(() => poller.stop());
    }

    const streams = new DynamoDBStreamsClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    stoppers.push(async () => streams.destroy());
    for (const consumer of streamConsumers) {
      const poller = new StreamPoller({
        streams,
        streamArn: await streamArnOf(dynamo.endpoint, localName(consumer.table)),
        batchSize: consumer.batchSize,
        retryAttempts: consumer.retryAttempts,
        invoke: (event) => lambdas.invoke(consumer.function, event),
        activity,
        onError: (error) => log(`stream of ${consumer.table}: ${describe(error)}`),
      });
      poller.start();
      stoppers.push(() => poller.stop());
    }

    const scheduler = new LocalScheduler(clock);
    stoppers.push(async () => scheduler.stop());
    for (const schedule of schedules) {
      scheduler.every(
        localName(schedule.function),
        schedule.everyMinutes,
        (event) => lambdas.invoke(schedule.function, event),
        (error) => log(`schedule ${schedule.function}: ${describe(error)}`),
      );
    }

    if (options.dataDir) {
      // Local queues and executions live in memory: on kept data, events still unapplied are
      // queued again and every open ticket's workflow is started again, before the first
      // request, by the same functions that run on a schedule (in AWS neither is lost).
      const swept = (await lambdas.invoke('sweep-inbox', { afterRestart: true })) as { requeued: number };
      const reconciled = (await lambdas.invoke('reconcile-workflows', { afterRestart: true })) as { started: number; resumed: number };
      log(`after the restart: queued ${swept.requeued} unapplied events again, started the workflows of ${reconciled.started + reconciled.resumed} open tickets`);
    }

    const jwt = new DevJwtKey();
    // Handlers that verify bearer tokens themselves check the dev tokens as the server does.
    process.env[BEARER_ENV.issuer] = DEV_JWT_ISSUER;
    process.env[BEARER_ENV.audience] = DEV_JWT_AUDIENCE;
    process.env[BEARER_ENV.devKey] = jwt.secret;
    const server = createLocalHttpServer({
      routes,
      invoke: (route, event) => lambdas.invoke(route.function satisfies FunctionId, event),
      localRoutes: createControlRoutes({ clock, activity, jwt, faults }),
      staticFiles: consoleFiles(),
      jwt,
      activity,
      nowMs: () => clock.nowMs(),
      onError: (error) => log(`http: ${describe(error)}`),
    });
    const port = await listen(server, options.port);
    stoppers.push(() => closeServer(server));

    return {
      url: `http://127.0.0.1:${port}`,
      clock,
      devJwtKey: jwt.secret,
      endpoints,
      queueUrls: Object.fromEntries(
        Object.entries(sqsLocal.queues).map(([id, queue]) => [id, { url: queue.url, deadLetterUrl: queue.deadLetterUrl }]),
      ) as LocalStack['queueUrls'],
      stateMachineArns,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Gives the in-process handlers the names their environment variables would carry in AWS. */
function setResourceEnvironment(sqsLocal: SqsLocal, stateMachineArns: Record<StateMachineId, string>): void {
  for (const [id, spec] of Object.entries(tables) as [TableId, (typeof tables)[TableId]][]) process.env[spec.envVar] = localName(id);
  for (const [id, spec] of Object.entries(queues) as [QueueId, (typeof queues)[QueueId]][]) {
    process.env[spec.envVar] = sqsLocal.queues[id]!.url;
    process.env[spec.deadLetterEnvVar] = sqsLocal.queues[id]!.deadLetterUrl;
  }
  for (const [id, spec] of Object.entries(buckets) as [BucketId, (typeof buckets)[BucketId]][]) process.env[spec.envVar] = localName(id);
  for (const [id, spec] of Object.entries(stateMachines) as [StateMachineId, (typeof stateMachines)[StateMachineId]][]) {
    process.env[spec.envVar] = stateMachineArns[id];
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
