import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { QueueAccess, StateMachineAccess, TableAccess } from '@infra/resources';

/**
 * Grants and environment variables set in one call, so a resource name and its IAM grant
 * never drift apart.
 */
export function grantTable(fn: LambdaFunction, table: Table, envVar: string, access: TableAccess): void {
  fn.addEnvironment(envVar, table.tableName);
  switch (access) {
    case 'read':
      table.grantReadData(fn);
      return;
    case 'readWrite':
      table.grantReadWriteData(fn);
      return;
    case 'append':
      // Add items only: no UpdateItem, no DeleteItem, so the trail can only grow.
      table.grant(fn, 'dynamodb:PutItem');
      table.encryptionKey?.grantEncryptDecrypt(fn as IGrantable);
      return;
  }
}

export function grantQueue(fn: LambdaFunction, queue: Queue, envVar: string, access: QueueAccess): void {
  fn.addEnvironment(envVar, queue.queueUrl);
  switch (access) {
    case 'send':
      queue.grantSendMessages(fn);
      return;
  }
}

export function grantStateMachine(fn: LambdaFunction, machine: StateMachine, envVar: string, access: StateMachineAccess): void {
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
