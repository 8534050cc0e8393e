import { readFileSync, readdirSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { consumers, functions, queues, routes, schedules, stateMachines, tables } from '@infra/resources';
import { resourcesOf, statementsOfFunction, synthesize } from './synth';

const pascal = (id: string) => id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());

describe('the CDK stack, built from the resource description', () => {
  const { template } = synthesize();

  it('has every table with its keys, indexes, TTL, point-in-time recovery, deletion protection and the customer key', () => {
    for (const [id, spec] of Object.entries(tables)) {
      const [table] = Object.entries(resourcesOf(template, 'AWS::DynamoDB::Table')).filter(([logicalId]) => logicalId.startsWith(`${pascal(id)}Table`));
      expect(table).toBeDefined();
      const properties = table![1].Properties;
      expect(properties.KeySchema).toEqual([
        { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
        ...(spec.sortKey ? [{ AttributeName: spec.sortKey.name, KeyType: 'RANGE' }] : []),
      ]);
      expect((properties.GlobalSecondaryIndexes ?? []).map((index: { IndexName: string }) => index.IndexName)).toEqual(spec.indexes.map((index) => index.name));
      expect(properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(properties.DeletionProtectionEnabled).toBe(true);
      expect(properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'] } });
      expect(properties.BillingMode).toBe('PAY_PER_REQUEST');
      if (spec.timeToLiveAttribute) expect(properties.TimeToLiveSpecification).toEqual({ AttributeName: spec.timeToLiveAttribute, Enabled: true });
    }
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('gives every queue an encrypted dead-letter queue with the described maxReceiveCount', () => {
    for (const [id, spec] of Object.entries(queues)) {
      template.hasResourceProperties('AWS::SQS::Queue', {
        VisibilityTimeout: spec.visibilityTimeoutSeconds,
        KmsMasterKeyId: Match.anyValue(),
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${pascal(id)}DeadLetterQueue`), 'Arn'] }, maxReceiveCount: spec.maxReceiveCount },
      });
    }
  });

  it('runs every function on nodejs22.x, ARM64, with tracing and its resources in its environment', () => {
    const lambdas = Object.values(resourcesOf(template, 'AWS::Lambda::Function'));
    expect(lambdas).toHaveLength(Object.keys(functions).length);
    for (const lambda of lambdas) {
      expect(lambda.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
    }
    for (const spec of Object.values(functions)) {
      const names = [
        ...Object.keys(spec.tables ?? {}).map((table) => tables[table as keyof typeof tables].envVar),
        ...Object.keys(spec.queues ?? {}).map((queue) => queues[queue as keyof typeof queues].envVar),
        ...Object.keys(spec.stateMachines ?? {}).map((machine) => stateMachines[machine as keyof typeof stateMachines].envVar),
      ];
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: spec.description,
        Environment: { Variables: Match.objectLike(Object.fromEntries(names.map((name) => [name, Match.anyValue()]))) },
      });
    }
  });

  it('grants each function exactly the access its description gives', () => {
    const writes = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
    const onTable = (statements: { actions: string[]; resource: string }[], table: string) =>
      statements.filter((statement) => statement.resource.includes(`${pascal(table)}Table`)).flatMap((statement) => statement.actions);

    const getTicket = statementsOfFunction(template, 'GetTicket');
    expect(onTable(getTicket, 'tickets')).not.toEqual(expect.arrayContaining([expect.stringMatching(/PutItem|UpdateItem|DeleteItem/)]));
    expect(onTable(getTicket, 'tickets')).toContain('dynamodb:Query');

    const receiveWebhook = statementsOfFunction(template, 'ReceiveWebhook');
    expect(onTable(receiveWebhook, 'tickets')).toEqual([]);
    expect(onTable(receiveWebhook, 'audit')).toEqual([]);

    for (const id of Object.keys(functions)) {
      const audit = onTable(statementsOfFunction(template, pascal(id)), 'audit');
      expect(audit).not.toContain('dynamodb:UpdateItem');
      expect(audit).not.toContain('dynamodb:DeleteItem');
      expect(audit.filter((action) => writes.includes(action))).toEqual(
        functions[id as keyof typeof functions].tables?.audit === 'append' ? ['dynamodb:PutItem'] : [],
      );
    }
  });

  it('deploys each state machine from its ASL file with every placeholder substituted by a function ARN', () => {
    for (const [id, spec] of Object.entries(stateMachines)) {
      const text = readFileSync(spec.file, 'utf8');
      const placeholders = new Set([...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1]));
      expect([...placeholders].sort()).toEqual(Object.keys(spec.functionArnSubstitutions).sort());
      const [machine] = Object.entries(resourcesOf(template, 'AWS::StepFunctions::StateMachine')).filter(([logicalId]) => logicalId.startsWith(`${pascal(id)}StateMachine`));
      const substitutions = machine![1].Properties.DefinitionSubstitutions;
      for (const [placeholder, fn] of Object.entries(spec.functionArnSubstitutions)) {
        expect(substitutions[placeholder]).toEqual({ 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^${pascal(fn)}Function`)), 'Arn'] });
      }
      expect(machine![1].Properties.TracingConfiguration).toEqual({ Enabled: true });
    }
  });

  it('has every route, JWT-authorized where described, and no /_local route', () => {
    const deployed = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route')).map((route) => route.Properties);
    expect(deployed.map((route) => route.RouteKey).sort()).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
    for (const route of routes) {
      const found = deployed.find((candidate) => candidate.RouteKey === `${route.method} ${route.path}`);
      expect(found.AuthorizationType).toBe(route.auth === 'jwt' ? 'JWT' : 'NONE');
    }
    expect(deployed.some((route) => String(route.RouteKey).includes('/_local'))).toBe(false);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: { Ref: 'JwtIssuer' }, Audience: [{ Ref: 'JwtAudience' }] },
    });
  });

  it('connects each consumer with partial batch failures, and each schedule', () => {
    for (const consumer of consumers) {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        BatchSize: consumer.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        FunctionName: { Ref: Match.stringLikeRegexp(`^${pascal(consumer.function)}Function`) },
      });
    }
    for (const schedule of schedules) {
      template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: `rate(${schedule.everyMinutes} minute${schedule.everyMinutes === 1 ? '' : 's'})` });
    }
  });
});

describe('the ASL files', () => {
  it.each(readdirSync('workflows').filter((file) => file.endsWith('.asl.json')))('%s passes asl-validator', async (file) => {
    const { default: validate } = await import('asl-validator');
    const definition = JSON.parse(readFileSync(`workflows/${file}`, 'utf8').replace(/\$\{([A-Za-z0-9_]+)\}/g, 'arn:aws:lambda:us-east-1:123456789012:function:$1'));
    const result = validate(definition);
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });
});
