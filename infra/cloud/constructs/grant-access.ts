import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import {
  buckets,
  MARKETPLACE_CONFIG_ENV,
  queues,
  stateMachines,
  tables,
  type BucketAccess,
  type BucketId,
  type FunctionSpec,
  type QueueAccess,
  type QueueId,
  type QueueSpec,
  type StateMachineAccess,
  type StateMachineId,
  type TableAccess,
  type TableId,
} from '@infra/resources';
import { entriesOf } from '../names';
import type { QueueWithDeadLetters } from './queue-with-dead-letters';

/**
 * Each helper here grants access to one resource AND puts its name, URL or ARN in the
 * function's environment, in the same call: a function never has a variable it may not use,
 * nor a grant it cannot find the resource for.
 */

/**
 * Table actions by access. Narrower than CDK's `grantReadData`/`grantReadWriteData`, which
 * include Scan: every access pattern is a key lookup or a Query, so nobody needs to read a
 * whole table. Reads cover the table's indexes, where most patterns Query.
 */
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'];
const WRITE_ACTIONS = ['dynamodb:ConditionCheckItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
/** PutItem on the table alone: no UpdateItem, DeleteItem or BatchWriteItem (which can delete), nothing on its indexes. */
const APPEND_ACTIONS = ['dynamodb:PutItem'];

/** `read`: GetItem/Query; `readWrite`: also writes; `append`: PutItem only; `readAppend`: read and append, so the audit trail can grow but never change. */
export function grantTable(fn: LambdaFunction, table: ITable, envVar: string, access: TableAccess, hasIndexes: boolean): void {
  fn.addEnvironment(envVar, table.tableName);
  const withIndexes = hasIndexes ? [table.tableArn, `${table.tableArn}/index/*`] : [table.tableArn];
  const reads = access === 'read' || access === 'readWrite' || access === 'readAppend';
  if (reads) Grant.addToPrincipal({ grantee: fn, actions: READ_ACTIONS, resourceArns: withIndexes });
  if (access === 'readWrite') Grant.addToPrincipal({ grantee: fn, actions: WRITE_ACTIONS, resourceArns: [table.tableArn] });
  if (access === 'append' || access === 'readAppend') Grant.addToPrincipal({ grantee: fn, actions: APPEND_ACTIONS, resourceArns: [table.tableArn] });
  // The key is needed to read and write encrypted items: decrypt only for readers, data keys for writers.
  if (access === 'read') table.encryptionKey?.grantDecrypt(fn);
  else table.encryptionKey?.grantEncryptDecrypt(fn);
}

/** `send`: SendMessage; `sendWithDeadLetter`: also to its dead-letter queue, whose URL goes in `spec.deadLetterEnvVar`. */
export function grantQueue(fn: LambdaFunction, queue: QueueWithDeadLetters, spec: QueueSpec, access: QueueAccess): void {
  fn.addEnvironment(spec.envVar, queue.queue.queueUrl);
  queue.queue.grantSendMessages(fn);
  if (access === 'sendWithDeadLetter') {
    fn.addEnvironment(spec.deadLetterEnvVar, queue.deadLetterQueue.queueUrl);
    queue.deadLetterQueue.grantSendMessages(fn);
  }
}

/**
 * `read`: ListBucket and GetObject; `readAppend`: also PutObject. Never DeleteObject, nor
 * anything on retention or the bucket's lock configuration: a checkpoint, once written, stays.
 */
export function grantBucket(fn: LambdaFunction, bucket: IBucket, envVar: string, access: BucketAccess): void {
  fn.addEnvironment(envVar, bucket.bucketName);
  Grant.addToPrincipal({ grantee: fn, actions: ['s3:ListBucket'], resourceArns: [bucket.bucketArn] });
  const objectActions = access === 'readAppend' ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'];
  Grant.addToPrincipal({ grantee: fn, actions: objectActions, resourceArns: [bucket.arnForObjects('*')] });
  if (access === 'read') bucket.encryptionKey?.grantDecrypt(fn);
  else bucket.encryptionKey?.grantEncryptDecrypt(fn);
}

/**
 * `start`: StartExecution; `callback`: SendTaskSuccess/Failure/Heartbeat for its task tokens;
 * `startAndCallback`: both; `reconcile`: both, ListExecutions, and DescribeExecution on its executions.
 */
export function grantStateMachine(fn: LambdaFunction, machine: IStateMachine, envVar: string, access: StateMachineAccess): void {
  fn.addEnvironment(envVar, machine.stateMachineArn);
  if (access !== 'callback') machine.grantStartExecution(fn);
  if (access !== 'start') machine.grantTaskResponse(fn);
  if (access === 'reconcile') {
    machine.grant(fn, 'states:ListExecutions');
    machine.grantExecution(fn, 'states:DescribeExecution');
  }
}

/** The marketplace registry (webhook secrets): GetSecretValue, and its ARN in `MARKETPLACES_SECRET_ARN`. */
export function grantMarketplaceConfig(fn: LambdaFunction, secret: ISecret): void {
  fn.addEnvironment(MARKETPLACE_CONFIG_ENV, secret.secretArn);
  secret.grantRead(fn);
}

/** The deployed resources a function spec can name. */
export interface GrantTargets {
  readonly tables: Readonly<Record<TableId, ITable>>;
  readonly queues: Readonly<Record<QueueId, QueueWithDeadLetters>>;
  readonly stateMachines: Readonly<Record<StateMachineId, IStateMachine>>;
  readonly buckets: Readonly<Record<BucketId, IBucket>>;
  readonly marketplaceConfig: ISecret;
}

/** Everything `spec` says the function may touch, each with its environment variable, and nothing else. */
export function grantAccess(fn: LambdaFunction, spec: FunctionSpec, targets: GrantTargets): void {
  for (const [id, access] of entriesOf(spec.tables ?? {})) grantTable(fn, targets.tables[id], tables[id].envVar, access, tables[id].indexes.length > 0);
  for (const [id, access] of entriesOf(spec.queues ?? {})) grantQueue(fn, targets.queues[id], queues[id], access);
  for (const [id, access] of entriesOf(spec.stateMachines ?? {})) {
    grantStateMachine(fn, targets.stateMachines[id], stateMachines[id].envVar, access);
  }
  for (const [id, access] of entriesOf(spec.buckets ?? {})) grantBucket(fn, targets.buckets[id], buckets[id].envVar, access);
  if (spec.marketplaceConfig) grantMarketplaceConfig(fn, targets.marketplaceConfig);
}
