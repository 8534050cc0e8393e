import {
  buckets,
  consumers,
  functions,
  MARKETPLACE_CONFIG_ENV,
  queues,
  schedules,
  stateMachines,
  streamConsumers,
  tables,
  type BucketId,
  type FunctionId,
  type FunctionSpec,
  type QueueId,
  type StateMachineId,
  type TableId,
} from '@infra/resources';
import { BEARER_ENV } from '@shared/auth/bearer-token';
import { actionsOn, logicalIdOf, refersTo, statementsOfRole, synthesize, type Statement } from './synth';

/** Every function's runtime, environment and IAM access, checked against infra/resources.ts. */
const { stack, template } = synthesize();
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
const functionIds = Object.keys(functions) as FunctionId[];

const lambdaOf = (id: FunctionId) => resources[logicalIdOf(stack.functions[id].function)]!;
const statementsOf = (id: FunctionId): Statement[] => statementsOfRole(template, logicalIdOf(stack.functions[id].role));
const consumes = (id: FunctionId, queueId: QueueId) => consumers.some((consumer) => consumer.function === id && consumer.queue === queueId);

/** What reading a table's stream takes (on the stream's ARN), besides `dynamodb:ListStreams`, which names no resource. */
const STREAM_READS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
const readsStreamOf = (id: FunctionId, tableId: TableId) => streamConsumers.some((consumer) => consumer.function === id && consumer.table === tableId);

const DYNAMODB_WRITES = ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
const TASK_RESPONSES = ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess'];

it('deploys exactly the described functions, and CDK\'s one function that uploads the ops console at deploy time', () => {
  const lambdaIds = Object.keys(resources).filter((id) => resources[id]!.Type === 'AWS::Lambda::Function');
  const uploaders = lambdaIds.filter((id) => id.startsWith('CustomCDKBucketDeployment'));
  expect(uploaders).toHaveLength(1);
  expect(lambdaIds.length - uploaders.length).toBe(functionIds.length);
});

describe.each(functionIds)('%s', (functionId) => {
  const spec: FunctionSpec = functions[functionId];
  const lambda = lambdaOf(functionId);

  it('runs its entry on nodejs22.x, ARM64, with active tracing and the described timeout and memory', () => {
    expect(lambda.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
      Timeout: spec.timeoutSeconds,
      MemorySize: spec.memoryMb,
      Description: spec.description,
    });
  });

  it('logs to its own log group, kept for a year', () => {
    const logGroupId = logicalIdOf(stack.functions[functionId].logGroup);
    expect(refersTo(lambda.Properties.LoggingConfig.LogGroup, logGroupId)).toBe(true);
    expect(resources[logGroupId]!.Properties.RetentionInDays).toBe(365);
  });

  it('has its own role, with no managed policies', () => {
    const roleId = logicalIdOf(stack.functions[functionId].role);
    expect(refersTo(lambda.Properties.Role, roleId)).toBe(true);
    expect(resources[roleId]!.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('has exactly the environment its access implies, each variable naming the right resource', () => {
    const expected = new Map<string, string>();
    for (const id of Object.keys(spec.tables ?? {}) as TableId[]) expected.set(tables[id].envVar, logicalIdOf(stack.tables[id]));
    for (const [id, access] of Object.entries(spec.queues ?? {}) as [QueueId, string][]) {
      expected.set(queues[id].envVar, logicalIdOf(stack.queues[id].queue));
      if (access === 'sendWithDeadLetter') expected.set(queues[id].deadLetterEnvVar, logicalIdOf(stack.queues[id].deadLetterQueue));
    }
    for (const id of Object.keys(spec.stateMachines ?? {}) as StateMachineId[]) {
      expected.set(stateMachines[id].envVar, logicalIdOf(stack.stateMachines[id]));
    }
    for (const id of Object.keys(spec.buckets ?? {}) as BucketId[]) expected.set(buckets[id].envVar, logicalIdOf(stack.buckets[id].bucket));
    if (spec.marketplaceConfig) expected.set(MARKETPLACE_CONFIG_ENV, logicalIdOf(stack.marketplaceConfig));
    // A function that verifies bearer tokens itself gets the gateway's issuer and audience (stack parameters).
    if (spec.bearerTokens) {
      expected.set(BEARER_ENV.issuer, 'JwtIssuer');
      expected.set(BEARER_ENV.audience, 'JwtAudience');
    }

    const variables = lambda.Properties.Environment.Variables as Record<string, unknown>;
    expect(Object.keys(variables).sort()).toEqual([...expected.keys(), 'NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME'].sort());
    for (const [name, logicalId] of expected) expect({ name, refers: refersTo(variables[name], logicalId) }).toEqual({ name, refers: true });
  });

  describe('may touch exactly what its description grants', () => {
    const statements = statementsOf(functionId);

    it.each(Object.keys(tables) as TableId[])('on the %s table', (tableId) => {
      const all = actionsOn(statements, logicalIdOf(stack.tables[tableId]));
      // A stream consumer reads the table's stream, and only there (its statement names the stream's ARN).
      const streamActions = all.filter((action) => STREAM_READS.includes(action));
      expect(streamActions).toEqual(readsStreamOf(functionId, tableId) ? STREAM_READS : []);
      const actions = all.filter((action) => !STREAM_READS.includes(action));
      switch (spec.tables?.[tableId]) {
        case undefined:
          expect(actions).toEqual([]);
          break;
        case 'read':
          expect(actions).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
          break;
        case 'readAppend':
          expect(actions).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
          break;
        case 'readWrite':
          expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', ...DYNAMODB_WRITES]));
          break;
        case 'append': {
          expect(actions).toEqual(['dynamodb:PutItem']);
          // The table itself only: nothing on its indexes.
          const onTable = statements.filter((statement) => refersTo(statement.resource, logicalIdOf(stack.tables[tableId])));
          expect(onTable.map((statement) => JSON.stringify(statement.resource))).not.toContainEqual(expect.stringContaining('/index/'));
          break;
        }
      }
    });

    it.each(Object.keys(queues) as QueueId[])('on the %s queue', (queueId) => {
      const actions = actionsOn(statements, logicalIdOf(stack.queues[queueId].queue));
      const access = spec.queues?.[queueId];
      const sends = access !== undefined;
      expect(actions.includes('sqs:SendMessage')).toBe(sends);
      expect(actions.includes('sqs:ReceiveMessage')).toBe(consumes(functionId, queueId));
      expect(actions.includes('sqs:DeleteMessage')).toBe(consumes(functionId, queueId));
      if (!sends && !consumes(functionId, queueId)) expect(actions).toEqual([]);
      // Nobody reads or purges a dead-letter queue from a function; a consumer that gives up on a message may park it there.
      const onDeadLetters = actionsOn(statements, logicalIdOf(stack.queues[queueId].deadLetterQueue));
      if (access === 'sendWithDeadLetter') expect(onDeadLetters).toEqual(expect.arrayContaining(['sqs:SendMessage']));
      expect(onDeadLetters.filter((action) => !['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'].includes(action))).toEqual([]);
      if (access !== 'sendWithDeadLetter') expect(onDeadLetters).toEqual([]);
    });

    it.each(Object.keys(stateMachines) as StateMachineId[])('on the %s state machine', (machineId) => {
      const actions = actionsOn(statements, logicalIdOf(stack.stateMachines[machineId]));
      const expected = {
        start: ['states:StartExecution'],
        callback: TASK_RESPONSES,
        startAndCallback: [...TASK_RESPONSES, 'states:StartExecution'].sort(),
        reconcile: [...TASK_RESPONSES, 'states:DescribeExecution', 'states:ListExecutions', 'states:StartExecution'].sort(),
        none: [],
      }[spec.stateMachines?.[machineId] ?? 'none'];
      expect(actions).toEqual(expected);
    });

    it.each(Object.keys(buckets) as BucketId[])('on the %s bucket: list and get, put when it appends, never delete or touch the lock', (bucketId) => {
      const actions = actionsOn(statements, logicalIdOf(stack.buckets[bucketId].bucket));
      const expected = { read: ['s3:GetObject', 's3:ListBucket'], readAppend: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'], none: [] }[
        spec.buckets?.[bucketId] ?? 'none'
      ];
      expect(actions).toEqual(expected);
      expect(actionsOn(statements, logicalIdOf(stack.buckets[bucketId].accessLogs))).toEqual([]);
    });

    it('on the marketplace registry', () => {
      const actions = actionsOn(statements, logicalIdOf(stack.marketplaceConfig));
      expect(actions).toEqual(spec.marketplaceConfig ? ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'] : []);
    });

    it('on the data key only when it touches encrypted data', () => {
      const touchesData =
        Object.keys({ ...spec.tables, ...spec.queues, ...spec.buckets }).length > 0 || spec.marketplaceConfig || consumers.some((c) => c.function === functionId);
      expect(actionsOn(statements, logicalIdOf(stack.dataKey)).length > 0).toBe(Boolean(touchesData));
    });

    it('on anything else: its own log group, and X-Ray (which has no resource-level permissions)', () => {
      const known = [
        ...Object.values(stack.tables),
        ...Object.values(stack.queues).flatMap(({ queue, deadLetterQueue }) => [queue, deadLetterQueue]),
        ...Object.values(stack.stateMachines),
        ...Object.values(stack.buckets).map(({ bucket }) => bucket),
        ...Object.values(stack.streamFailureQueues),
        stack.marketplaceConfig,
        stack.dataKey,
      ].map(logicalIdOf);
      const others = statements.filter((statement) => !known.some((id) => refersTo(statement.resource, id)));
      const logGroupId = logicalIdOf(stack.functions[functionId].logGroup);
      for (const statement of others) {
        // ListStreams names no resource; a stream consumer needs it to find its stream.
        const wildcardAllowed = (action: string) => action.startsWith('xray:') || (action === 'dynamodb:ListStreams' && streamConsumers.some((c) => c.function === functionId));
        if (statement.resource === '*') expect(statement.actions.every(wildcardAllowed)).toBe(true);
        else {
          expect(refersTo(statement.resource, logGroupId)).toBe(true);
          expect([...statement.actions].sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
        }
      }
    });
  });
});

describe('the named least-privilege cases', () => {
  const ticketsTable = logicalIdOf(stack.tables.tickets);

  it('get-ticket cannot write to the tickets table', () => {
    expect(actionsOn(statementsOf('get-ticket'), ticketsTable)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)$/)]),
    );
  });

  it('receive-webhook cannot touch the tickets table at all', () => {
    expect(actionsOn(statementsOf('receive-webhook'), ticketsTable)).toEqual([]);
  });

  it('no function can Scan any table: every access pattern is a key lookup or a Query', () => {
    for (const functionId of functionIds) {
      const scans = Object.values(stack.tables).flatMap((table) =>
        actionsOn(statementsOf(functionId), logicalIdOf(table)).filter((action) => /Scan|\*/.test(action)),
      );
      expect({ functionId, scans }).toEqual({ functionId, scans: [] });
    }
  });

  it('the audit table is read by GetItem and Query only, and written by PutItem only', () => {
    const auditTable = logicalIdOf(stack.tables.audit);
    const allowed = new Set(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem']);
    for (const functionId of functionIds) {
      const actions = actionsOn(statementsOf(functionId), auditTable).filter((action) => !(readsStreamOf(functionId, 'audit') && STREAM_READS.includes(action)));
      expect({ functionId, other: actions.filter((action) => !allowed.has(action)) }).toEqual({ functionId, other: [] });
    }
  });

  it('no role in the stack, a function\'s or any other, can change, delete or Scan audit events', () => {
    const auditTable = logicalIdOf(stack.tables.audit);
    const documents = [
      ...Object.values(resources)
        .filter((resource) => resource.Type === 'AWS::IAM::Policy')
        .map((policy) => policy.Properties.PolicyDocument),
      ...Object.values(resources)
        .filter((resource) => resource.Type === 'AWS::IAM::Role')
        .flatMap((role) => (role.Properties.Policies ?? []).map((policy: { PolicyDocument: unknown }) => policy.PolicyDocument)),
    ] as { Statement: { Effect: string; Action: string | string[]; Resource: unknown }[] }[];
    expect(documents.length).toBeGreaterThan(functionIds.length);
    const offending = documents
      .flatMap((document) => document.Statement)
      .filter((statement) => statement.Effect === 'Allow')
      .filter((statement) => refersTo(statement.Resource, auditTable) || JSON.stringify(statement.Resource).includes('"*"'))
      .flatMap((statement) => [statement.Action].flat())
      .filter((action) => /^(\*|dynamodb:(\*|UpdateItem|DeleteItem|BatchWriteItem|Scan|PartiQL.*))$/.test(action));
    expect(offending).toEqual([]);
  });

  it('no function can update or delete audit events', () => {
    for (const functionId of functionIds) {
      const actions = actionsOn(statementsOf(functionId), logicalIdOf(stack.tables.audit));
      expect({ functionId, changes: actions.filter((action) => /UpdateItem|DeleteItem|BatchWriteItem|PartiQL|\*/.test(action)) }).toEqual({
        functionId,
        changes: [],
      });
    }
  });
});

describe.each(consumers.map((consumer) => [`${consumer.function} consuming ${consumer.queue}`, consumer] as const))('%s', (_name, consumer) => {
  it('polls the queue with the described batching and reports partial batch failures', () => {
    const mappings = Object.values(resources).filter(
      (resource) =>
        resource.Type === 'AWS::Lambda::EventSourceMapping' &&
        refersTo(resource.Properties.FunctionName, logicalIdOf(stack.functions[consumer.function].function)) &&
        refersTo(resource.Properties.EventSourceArn, logicalIdOf(stack.queues[consumer.queue].queue)),
    );
    expect(mappings).toHaveLength(1);
    expect(mappings[0]!.Properties).toMatchObject({ BatchSize: consumer.batchSize, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(mappings[0]!.Properties.MaximumBatchingWindowInSeconds).toBe(consumer.maxBatchingWindowSeconds || undefined);
    expect(mappings[0]!.Properties.ScalingConfig).toEqual(consumer.maxConcurrentBatches ? { MaximumConcurrency: consumer.maxConcurrentBatches } : undefined);
  });
});

describe.each(streamConsumers.map((consumer) => [`${consumer.function} reading the ${consumer.table} stream`, consumer] as const))('%s', (_name, consumer) => {
  const mappings = () =>
    Object.values(resources).filter(
      (resource) =>
        resource.Type === 'AWS::Lambda::EventSourceMapping' &&
        refersTo(resource.Properties.FunctionName, logicalIdOf(stack.functions[consumer.function].function)) &&
        refersTo(resource.Properties.EventSourceArn, logicalIdOf(stack.tables[consumer.table])),
    );

  it('has a stream of new images on its table', () => {
    expect(resources[logicalIdOf(stack.tables[consumer.table])]!.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
  });

  it('reads it from the trim horizon, retrying a failed record alone (reported, or found by halving) and sending it on to its failure queue at last', () => {
    expect(mappings()).toHaveLength(1);
    const properties = mappings()[0]!.Properties;
    expect(properties).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: consumer.batchSize,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: consumer.retryAttempts,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(refersTo(properties.DestinationConfig.OnFailure.Destination, logicalIdOf(stack.streamFailureQueues[consumer.function]!))).toBe(true);
  });

  it('has an encrypted failure queue that keeps records for the described days, with an alarm on it', () => {
    const queue = resources[logicalIdOf(stack.streamFailureQueues[consumer.function]!)]!.Properties;
    expect(queue.MessageRetentionPeriod).toBe(consumer.failureRetentionDays * 86400);
    expect(refersTo(queue.KmsMasterKeyId, logicalIdOf(stack.dataKey))).toBe(true);
    const alarms = Object.values(resources).filter(
      (resource) =>
        resource.Type === 'AWS::CloudWatch::Alarm' &&
        JSON.stringify(resource.Properties.Dimensions ?? []).includes(logicalIdOf(stack.streamFailureQueues[consumer.function]!)),
    );
    expect(alarms).toHaveLength(1);
  });
});

describe.each(schedules.map((schedule) => [schedule.function, schedule] as const))('the %s schedule', (_name, schedule) => {
  it('invokes the function at the described rate', () => {
    const rules = Object.values(resources).filter(
      (resource) =>
        resource.Type === 'AWS::Events::Rule' &&
        resource.Properties.Targets.some((target: { Arn: unknown }) => refersTo(target.Arn, logicalIdOf(stack.functions[schedule.function].function))),
    );
    expect(rules.map((rule) => rule.Properties.ScheduleExpression)).toEqual([
      `rate(${schedule.everyMinutes} ${schedule.everyMinutes === 1 ? 'minute' : 'minutes'})`,
    ]);
  });
});
