import { CfnElement, CfnOutput, CfnParameter, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import {
  consumers,
  functions,
  MARKETPLACE_CONFIG_ENV,
  queues,
  routes,
  schedules,
  stateMachines,
  tables,
  type FunctionId,
  type KeyAttribute,
  type QueueId,
  type StateMachineId,
  type TableId,
} from '@infra/resources';
import { AftercareFunction } from './constructs/aftercare-function';
import { grantQueue, grantStateMachine, grantTable } from './constructs/grants';

const attributeType = (key: KeyAttribute) => ({ name: key.name, type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER });
const entries = <K extends string, V>(record: Readonly<Partial<Record<K, V>>>) => Object.entries(record) as [K, V][];
const pascal = (id: string) => id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());

/**
 * Aftercare in AWS, built entirely from the resource description (infra/resources.ts) that
 * the local runtime is built from too: tables, queues with dead-letter queues, functions with
 * exactly the access their description grants, state machines from the ASL files, the HTTP
 * API with its JWT authorizer, queue consumers and schedules.
 */
export class AftercareStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const jwtIssuer = new CfnParameter(this, 'JwtIssuer', { type: 'String', description: 'Issuer (iss) of the JWTs API callers present' });
    const jwtAudience = new CfnParameter(this, 'JwtAudience', { type: 'String', description: 'Audience (aud) of the JWTs API callers present' });

    // One customer-managed key for the data at rest: tables, queues, the marketplace secret.
    const dataKey = new Key(this, 'DataKey', {
      description: 'Aftercare data at rest',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const tableResources = {} as Record<TableId, Table>;
    for (const [tableId, spec] of entries(tables)) {
      const table = new Table(this, `${pascal(tableId)}Table`, {
        partitionKey: attributeType(spec.partitionKey),
        sortKey: spec.sortKey ? attributeType(spec.sortKey) : undefined,
        billingMode: BillingMode.PAY_PER_REQUEST,
        encryption: TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: dataKey,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        timeToLiveAttribute: spec.timeToLiveAttribute,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      for (const index of spec.indexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: attributeType(index.partitionKey),
          sortKey: index.sortKey ? attributeType(index.sortKey) : undefined,
        });
      }
      tableResources[tableId] = table;
      new CfnOutput(this, `${pascal(tableId)}TableName`, { value: table.tableName });
    }

    const queueResources = {} as Record<QueueId, Queue>;
    for (const [queueId, spec] of entries(queues)) {
      const deadLetters = new Queue(this, `${pascal(queueId)}DeadLetterQueue`, {
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: dataKey,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      Validations.of(deadLetters).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This is the dead-letter queue of the events queue.' });
      const queue = new Queue(this, `${pascal(queueId)}Queue`, {
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: dataKey,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(spec.retentionDays),
        deadLetterQueue: { queue: deadLetters, maxReceiveCount: spec.maxReceiveCount },
      });
      queueResources[queueId] = queue;
      new CfnOutput(this, `${pascal(queueId)}QueueUrl`, { value: queue.queueUrl });
    }

    const marketplaces = new Secret(this, 'MarketplacesSecret', {
      description: 'Aftercare marketplace registry: webhook secrets, callback URLs (JSON, see README)',
      encryptionKey: dataKey,
    });
    new CfnOutput(this, 'MarketplacesSecretArn', { value: marketplaces.secretArn, description: 'Put the marketplace registry JSON here (see README)' });
    Validations.of(marketplaces).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Webhook secrets are agreed with each marketplace and rotated with it (several are valid at once); automatic rotation would break their signatures.',
    });

    const functionResources = {} as Record<FunctionId, AftercareFunction>;
    for (const [functionId, spec] of entries(functions)) {
      functionResources[functionId] = new AftercareFunction(this, pascal(functionId), spec);
    }

    const machineResources = {} as Record<StateMachineId, StateMachine>;
    for (const [machineId, spec] of entries(stateMachines)) {
      const substitutions = Object.fromEntries(
        Object.entries(spec.functionArnSubstitutions).map(([placeholder, fn]) => [placeholder, functionResources[fn].fn.functionArn]),
      );
      const machine = new StateMachine(this, `${pascal(machineId)}StateMachine`, {
        definitionBody: DefinitionBody.fromFile(spec.file),
        definitionSubstitutions: substitutions,
        stateMachineType: StateMachineType.STANDARD,
        tracingEnabled: true,
        // Every event, but without the data (tickets carry no personal data, and the data
        // would multiply log volume); the ticket's audit trail is the record of content.
        logs: {
          destination: new LogGroup(this, `${pascal(machineId)}StateMachineLogs`, { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN }),
          level: LogLevel.ALL,
          includeExecutionData: false,
        },
      });
      for (const fn of new Set(Object.values(spec.functionArnSubstitutions))) functionResources[fn].fn.grantInvoke(machine);
      machineResources[machineId] = machine;
      new CfnOutput(this, `${pascal(machineId)}StateMachineArn`, { value: machine.stateMachineArn });
    }

    for (const [functionId, spec] of entries(functions)) {
      const fn = functionResources[functionId].fn;
      for (const [tableId, access] of entries(spec.tables ?? {})) grantTable(fn, tableResources[tableId], tables[tableId].envVar, access!);
      for (const [queueId, access] of entries(spec.queues ?? {})) grantQueue(fn, queueResources[queueId], queues[queueId].envVar, access!);
      for (const [machineId, access] of entries(spec.stateMachines ?? {})) {
        grantStateMachine(fn, machineResources[machineId], stateMachines[machineId].envVar, access!);
      }
      if (spec.marketplaceConfig) {
        marketplaces.grantRead(fn);
        fn.addEnvironment(MARKETPLACE_CONFIG_ENV, marketplaces.secretArn);
      }
    }

    for (const consumer of consumers) {
      functionResources[consumer.function].fn.addEventSource(
        new SqsEventSource(queueResources[consumer.queue], {
          batchSize: consumer.batchSize,
          maxBatchingWindow: consumer.maxBatchingWindowSeconds ? Duration.seconds(consumer.maxBatchingWindowSeconds) : undefined,
          reportBatchItemFailures: true,
        }),
      );
    }

    for (const schedule of schedules) {
      new Rule(this, `${pascal(schedule.function)}Schedule`, {
        schedule: Schedule.rate(Duration.minutes(schedule.everyMinutes)),
        targets: [new LambdaTarget(functionResources[schedule.function].fn)],
      });
    }

    const api = new HttpApi(this, 'HttpApi', { createDefaultStage: false, description: 'Aftercare webhooks and API' });
    new HttpStage(this, 'HttpApiDefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 500, burstLimit: 1000 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(new LogGroup(this, 'HttpApiAccessLogs', { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN })),
        format: AccessLogFormat.jsonWithStandardFields(),
      },
    });
    const jwtAuthorizer = new HttpJwtAuthorizer('JwtAuthorizer', jwtIssuer.valueAsString, { jwtAudience: [jwtAudience.valueAsString] });
    const integrations = new Map<FunctionId, HttpLambdaIntegration>();
    for (const route of routes) {
      if (route.path.startsWith('/_local')) throw new Error(`${route.path}: /_local routes exist only in the local runtime`);
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${pascal(route.function)}Integration`, functionResources[route.function].fn);
        integrations.set(route.function, integration);
      }
      const [created] = api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        authorizer: route.auth === 'jwt' ? jwtAuthorizer : new HttpNoneAuthorizer(),
      });
      if (route.auth === 'none') {
        Validations.of(created!).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: route.path.startsWith('/webhooks/')
            ? 'Marketplace webhooks are authenticated by their HMAC-SHA256 signature in the handler, as webhook senders expect.'
            : 'The API contract (OpenAPI) is public documentation.',
        });
      }
    }
    new CfnOutput(this, 'ApiUrl', { value: api.apiEndpoint });

    acknowledgeStackWide(this);
    for (const table of Object.values(tableResources)) {
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(table.node.defaultChild as CfnElement)}.Arn>/index/*]`,
        reason: 'Grants on a table cover its indexes (<table>/index/*); every access pattern is a Query on a key or index.',
      });
    }
    for (const fn of new Set(Object.values(stateMachines).flatMap((spec) => Object.values(spec.functionArnSubstitutions)))) {
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(functionResources[fn].fn.node.defaultChild as CfnElement)}.Arn>:*]`,
        reason: 'State machines may invoke the versions and aliases of the functions their ASL names (<function>:*).',
      });
    }
  }
}

/** Findings acknowledged for the whole stack, each with its reason. */
function acknowledgeStackWide(stack: Stack): void {
  const acknowledge = (id: string, reason: string) => Validations.of(stack).acknowledge({ id, reason });
  acknowledge(
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'Functions use AWSLambdaBasicExecutionRole, the managed policy that only writes their own logs.');
  acknowledge('AwsSolutions-IAM5[Resource::*]', 'X-Ray trace upload and Step Functions log delivery are granted by AWS only on "*".');
  acknowledge('AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', 'KMS data-key actions on the one data key, as CDK grants them for encrypted tables and queues.');
  acknowledge('AwsSolutions-IAM5[Action::kms:ReEncrypt*]', 'KMS re-encrypt actions on the one data key, as CDK grants them for encrypted tables and queues.');
  acknowledge('AwsSolutions-L1', 'Lambdas run on Node.js 22 deliberately: the version the project builds and tests with.');
  acknowledge('AwsSolutions-COG4', 'The API uses a JWT authorizer (issuer and audience are stack parameters), not Cognito user pools.');
}
