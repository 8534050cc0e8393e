import { CfnOutput, CfnParameter, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
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
import { AftercareFunction } from './constructs/aftercare-function';
import { createAlarms, type AftercareAlarms } from './constructs/alarms';
import { createLockedBucket, type LockedBucket } from './constructs/checkpoint-bucket';
import { ConsoleHosting } from './constructs/console-hosting';
import { createDataTable } from './constructs/data-table';
import { grantAccess } from './constructs/grant-access';
import { createHttpApi, type AftercareHttpApi } from './constructs/http-api';
import { createQueueWithDeadLetters, type QueueWithDeadLetters } from './constructs/queue-with-dead-letters';
import { createWorkflowStateMachine } from './constructs/workflow-state-machine';
import { entriesOf, pascalCase } from './names';
import { acknowledgeNagFindings } from './nag-acknowledgments';
import { BEARER_ENV } from '@shared/auth/bearer-token';

export interface AftercareStackProps extends StackProps {
  /**
   * Acknowledge the cdk-nag findings listed in nag-acknowledgments.ts (default true). Only the
   * test that checks every acknowledgment still matches a finding turns this off.
   */
  readonly acknowledgeNagFindings?: boolean;
}

/** Builds a record with one entry per id of `spec`, in its order. */
function mapSpec<K extends string, S, V>(spec: Readonly<Record<K, S>>, build: (id: K, spec: S) => V): Record<K, V> {
  return Object.fromEntries(entriesOf<K, S>(spec).map(([id, value]) => [id, build(id, value)])) as Record<K, V>;
}

/**
 * Aftercare in AWS, built entirely by looping over infra/resources.ts, the description the
 * local runtime is built from too: no resource below is named or configured a second time.
 * Environment-agnostic (no account, region or lookups), so `cdk synth` runs offline.
 *
 * Stateful resources (key, tables, queues, secret, state machine, log groups) are created
 * directly in the stack under ids derived from their spec ids: those ids are their
 * CloudFormation logical ids, and a changed one would replace the resource.
 */
export class AftercareStack extends Stack {
  /** The customer-managed key for data at rest: tables, queues and the marketplace registry. */
  readonly dataKey: Key;
  readonly tables: Readonly<Record<TableId, Table>>;
  readonly queues: Readonly<Record<QueueId, QueueWithDeadLetters>>;
  /** Buckets under Object Lock (chain-head checkpoints), each with its access-log bucket. */
  readonly buckets: Readonly<Record<BucketId, LockedBucket>>;
  /** The marketplace registry (webhook secrets, callback URLs), read by functions with `marketplaceConfig`. */
  readonly marketplaceConfig: Secret;
  readonly functions: Readonly<Record<FunctionId, AftercareFunction>>;
  readonly stateMachines: Readonly<Record<StateMachineId, StateMachine>>;
  /** Per stream consumer (by function id): where its event source mapping sends the records it gave up on. */
  readonly streamFailureQueues: Readonly<Record<string, Queue>>;
  readonly httpApi: AftercareHttpApi;
  /** The ops console: a private bucket behind CloudFront. */
  readonly console: ConsoleHosting;
  readonly alarms: AftercareAlarms;

  constructor(scope: Construct, id: string, props: AftercareStackProps = {}) {
    super(scope, id, props);

    this.dataKey = new Key(this, 'DataKey', {
      description: 'Aftercare data at rest: tickets, audit trail, inbox, queues, marketplace registry',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.tables = mapSpec(tables, (tableId, spec) => createDataTable(this, `${pascalCase(tableId)}Table`, spec, this.dataKey));
    this.queues = mapSpec(queues, (queueId, spec) => createQueueWithDeadLetters(this, pascalCase(queueId), spec, this.dataKey));
    this.buckets = mapSpec(buckets, (bucketId, spec) => createLockedBucket(this, pascalCase(bucketId), spec, this.dataKey));

    // Created with a random value: the operator puts the registry JSON in after the first
    // deploy (README). Giving it a value here would make every deploy overwrite the real one.
    this.marketplaceConfig = new Secret(this, 'MarketplacesSecret', {
      description: 'Aftercare marketplace registry: webhook secrets, callback URLs (JSON, see README)',
      encryptionKey: this.dataKey,
    });

    this.functions = mapSpec(functions, (functionId, spec) => new AftercareFunction(this, pascalCase(functionId), spec));
    const lambdas = mapSpec(functions, (functionId): IFunction => this.functions[functionId].function);

    this.stateMachines = mapSpec(stateMachines, (machineId, spec) =>
      createWorkflowStateMachine(this, pascalCase(machineId), spec, lambdas),
    );

    for (const [functionId, spec] of entriesOf(functions)) {
      grantAccess(this.functions[functionId].function, spec, {
        tables: this.tables,
        queues: this.queues,
        stateMachines: this.stateMachines,
        buckets: mapSpec(buckets, (bucketId) => this.buckets[bucketId].bucket),
        marketplaceConfig: this.marketplaceConfig,
      });
    }

    for (const consumer of consumers) {
      this.functions[consumer.function].function.addEventSource(
        new SqsEventSource(this.queues[consumer.queue].queue, {
          batchSize: consumer.batchSize,
          maxBatchingWindow: consumer.maxBatchingWindowSeconds > 0 ? Duration.seconds(consumer.maxBatchingWindowSeconds) : undefined,
          maxConcurrency: consumer.maxConcurrentBatches,
          // Failed messages alone come back (and reach the DLQ); the rest of the batch is done.
          reportBatchItemFailures: true,
        }),
      );
    }

    const failureQueues: Record<string, Queue> = {};
    for (const consumer of streamConsumers) {
      const failures = new Queue(this, `${pascalCase(consumer.function)}StreamFailures`, {
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: this.dataKey,
        enforceSSL: true,
        retentionPeriod: Duration.days(consumer.failureRetentionDays),
      });
      failureQueues[consumer.function] = failures;
      this.functions[consumer.function].function.addEventSource(
        new DynamoEventSource(this.tables[consumer.table], {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: consumer.batchSize,
          // A failed record is retried alone: the batch reports it, and a batch that throws is halved until it is found.
          reportBatchItemFailures: true,
          bisectBatchOnError: true,
          retryAttempts: consumer.retryAttempts,
          onFailure: new SqsDlq(failures),
        }),
      );
    }
    this.streamFailureQueues = failureQueues;

    for (const schedule of schedules) {
      new Rule(this, `${pascalCase(schedule.function)}Schedule`, {
        description: `Runs ${schedule.function} every ${schedule.everyMinutes} min`,
        schedule: Schedule.rate(Duration.minutes(schedule.everyMinutes)),
        targets: [new LambdaTarget(lambdas[schedule.function])],
      });
    }

    const jwtIssuer = new CfnParameter(this, 'JwtIssuer', {
      type: 'String',
      description: 'Issuer (iss) of the JWTs API callers present; an https URL serving /.well-known/openid-configuration',
      allowedPattern: '^https://\\S+$',
      constraintDescription: 'must be an https URL',
    });
    const jwtAudience = new CfnParameter(this, 'JwtAudience', {
      type: 'String',
      description: 'Audience (aud) the JWTs must carry',
      minLength: 1,
    });
    const consoleClientId = new CfnParameter(this, 'ConsoleClientId', {
      type: 'String',
      description: 'OIDC client id of the ops console at the JwtIssuer provider (a public client: authorization code with PKCE, no secret)',
      minLength: 1,
    });
    const consoleScope = new CfnParameter(this, 'ConsoleScope', {
      type: 'String',
      description: 'Scopes the ops console asks the OIDC provider for',
      default: 'openid',
    });
    // Functions that verify bearer tokens themselves check them as the gateway's authorizer does.
    for (const [functionId, spec] of entriesOf(functions)) {
      if (!spec.bearerTokens) continue;
      this.functions[functionId].function.addEnvironment(BEARER_ENV.issuer, jwtIssuer.valueAsString);
      this.functions[functionId].function.addEnvironment(BEARER_ENV.audience, jwtAudience.valueAsString);
    }
    this.console = new ConsoleHosting(this, 'Console');
    this.httpApi = createHttpApi(this, {
      routes,
      functions: lambdas,
      jwtIssuer: jwtIssuer.valueAsString,
      jwtAudience: jwtAudience.valueAsString,
      corsOrigins: [this.console.origin],
    });
    this.console.deploy({
      apiUrl: this.httpApi.stage.url,
      issuer: jwtIssuer.valueAsString,
      clientId: consoleClientId.valueAsString,
      scope: consoleScope.valueAsString,
    });

    this.alarms = createAlarms(this, {
      dataKey: this.dataKey,
      tables: this.tables,
      queues: this.queues,
      streamFailureQueues: this.streamFailureQueues,
      stateMachines: this.stateMachines,
      functions: lambdas,
    });

    this.addOutputs();
    if (props.acknowledgeNagFindings ?? true) acknowledgeNagFindings(this);
  }

  /** What an operator or a deploy script needs: the API URL and every physical name. */
  private addOutputs(): void {
    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'ConsoleUrl', {
      value: `${this.console.origin}/console/`,
      description: 'The ops console; register it as the redirect URI of ConsoleClientId',
    });
    for (const [tableId, table] of entriesOf(this.tables)) {
      new CfnOutput(this, `${pascalCase(tableId)}TableName`, { value: table.tableName });
    }
    for (const [queueId, { queue, deadLetterQueue }] of entriesOf(this.queues)) {
      new CfnOutput(this, `${pascalCase(queueId)}QueueUrl`, { value: queue.queueUrl });
      new CfnOutput(this, `${pascalCase(queueId)}DeadLetterQueueUrl`, { value: deadLetterQueue.queueUrl });
    }
    for (const [machineId, machine] of entriesOf(this.stateMachines)) {
      new CfnOutput(this, `${pascalCase(machineId)}StateMachineArn`, { value: machine.stateMachineArn });
    }
    for (const [bucketId, { bucket }] of entriesOf(this.buckets)) {
      new CfnOutput(this, `${pascalCase(bucketId)}BucketName`, { value: bucket.bucketName });
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn, description: 'Subscribe operators to the alarms here' });
    new CfnOutput(this, 'MarketplacesSecretArn', {
      value: this.marketplaceConfig.secretArn,
      description: 'Put the marketplace registry JSON here (see README)',
    });
  }
}
