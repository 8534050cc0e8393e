import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import {
  MARKETPLACE_CONFIG_ENV,
  queues,
  stateMachines,
  tables,
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

/** `read`: Get/Query; `readWrite`: also Put/Update/Delete; `append`: PutItem only, so the audit trail can grow but never change. */
export function grantTable(fn: LambdaFunction, table: ITable, envVar: string, access: TableAccess): void {
  fn.addEnvironment(envVar, table.tableName);
  switch (access) {
    case 'read':
      table.grantReadData(fn);
      return;
    case 'readWrite':
      table.grantReadWriteData(fn);
      return;
    case 'append':
      // PutItem on the table alone: no UpdateItem, DeleteItem or BatchWriteItem (which can
      // delete), and nothing on its indexes. The key is needed to write encrypted items, as
      // CDK's own table grants add it.
      Grant.addToPrincipal({ grantee: fn, actions: ['dynamodb:PutItem'], resourceArns: [table.tableArn] });
      table.encryptionKey?.grantEncryptDecrypt(fn);
      return;
  }
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

/** `start`: StartExecution; `callback`: SendTaskSuccess/Failure/Heartbeat for its task tokens. */
export function grantStateMachine(fn: LambdaFunction, machine: IStateMachine, envVar: string, access: StateMachineAccess): void {
  fn.addEnvironment(envVar, machine.stateMachineArn);
  switch (access) {
    case 'start':
      machine.grantStartExecution(fn);
      return;
    case 'callback':
      machine.grantTaskResponse(fn);
      return;
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
  readonly marketplaceConfig: ISecret;
}

/** Everything `spec` says the function may touch, each with its environment variable, and nothing else. */
export function grantAccess(fn: LambdaFunction, spec: FunctionSpec, targets: GrantTargets): void {
  for (const [id, access] of entriesOf(spec.tables ?? {})) grantTable(fn, targets.tables[id], tables[id].envVar, access);
  for (const [id, access] of entriesOf(spec.queues ?? {})) grantQueue(fn, targets.queues[id], queues[id], access);
  for (const [id, access] of entriesOf(spec.stateMachines ?? {})) {
    grantStateMachine(fn, targets.stateMachines[id], stateMachines[id].envVar, access);
  }
  if (spec.marketplaceConfig) grantMarketplaceConfig(fn, targets.marketplaceConfig);
}
