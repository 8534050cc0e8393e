import { queues, tables } from '@infra/resources';
import { pascalCase as pascal } from '../../infra/cloud/names';
import { logicalIdOf, refersTo, synthesize } from './synth';

/** Tables, queues, the data key and the marketplace secret, checked against infra/resources.ts. */
const { stack, template } = synthesize();
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: any; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
const dataKeyId = logicalIdOf(stack.dataKey);

describe('the data key', () => {
  it('is a customer-managed key with rotation, kept when the stack goes', () => {
    expect(resources[dataKeyId]).toMatchObject({ Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
  });
});

describe.each(Object.entries(tables))('the %s table', (tableId, spec) => {
  const table = resources[logicalIdOf(stack.tables[tableId as keyof typeof tables])]!;
  const keySchema = (partitionKey: { name: string }, sortKey?: { name: string }) => [
    { AttributeName: partitionKey.name, KeyType: 'HASH' },
    ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' }] : []),
  ];

  it('has the described keys, with their types', () => {
    expect(table.Properties.KeySchema).toEqual(keySchema(spec.partitionKey, spec.sortKey));
    const keys = [spec.partitionKey, spec.sortKey, ...spec.indexes.flatMap((index) => [index.partitionKey, index.sortKey])];
    for (const key of keys) {
      if (key) expect(table.Properties.AttributeDefinitions).toContainEqual({ AttributeName: key.name, AttributeType: key.type });
    }
  });

  it('has exactly the described indexes, each with its projection', () => {
    const projection = (index: (typeof spec.indexes)[number]) =>
      index.projection === undefined
        ? { ProjectionType: 'ALL' }
        : index.projection === 'keys'
          ? { ProjectionType: 'KEYS_ONLY' }
          : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection] };
    expect(table.Properties.GlobalSecondaryIndexes ?? []).toEqual(
      spec.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        Projection: projection(index),
      })),
    );
  });

  it('projects at most the 100 named attributes AWS allows across its indexes', () => {
    const named = (table.Properties.GlobalSecondaryIndexes ?? []).flatMap((index: { Projection: { NonKeyAttributes?: string[] } }) => index.Projection.NonKeyAttributes ?? []);
    expect(named.length).toBeLessThanOrEqual(100);
  });

  it(spec.timeToLiveAttribute ? `expires items by ${spec.timeToLiveAttribute}` : 'expires nothing', () => {
    expect(table.Properties.TimeToLiveSpecification).toEqual(
      spec.timeToLiveAttribute ? { AttributeName: spec.timeToLiveAttribute, Enabled: true } : undefined,
    );
  });

  it('is on demand, recoverable to a point in time, protected from deletion and encrypted with the data key', () => {
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    });
    expect(refersTo(table.Properties.SSESpecification.KMSMasterKeyId, dataKeyId)).toBe(true);
    expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe.each(Object.entries(queues))('the %s queue', (queueId, spec) => {
  const { queue, deadLetterQueue } = stack.queues[queueId as keyof typeof queues];
  const queueResource = resources[logicalIdOf(queue)]!;
  const deadLetterResource = resources[logicalIdOf(deadLetterQueue)]!;
  const queuePolicies = Object.values(resources).filter((resource) => resource.Type === 'AWS::SQS::QueuePolicy');

  it('has the described visibility timeout and retention', () => {
    expect(queueResource.Properties).toMatchObject({
      VisibilityTimeout: spec.visibilityTimeoutSeconds,
      MessageRetentionPeriod: spec.retentionDays * 86_400,
    });
  });

  it(`moves a message to its dead-letter queue after ${spec.maxReceiveCount} receives`, () => {
    expect(queueResource.Properties.RedrivePolicy.maxReceiveCount).toBe(spec.maxReceiveCount);
    expect(refersTo(queueResource.Properties.RedrivePolicy.deadLetterTargetArn, logicalIdOf(deadLetterQueue))).toBe(true);
    // 14 days, the maximum: SQS keeps the first enqueue time, so a shorter DLQ retention loses messages.
    expect(deadLetterResource.Properties.MessageRetentionPeriod).toBe(14 * 86_400);
  });

  it.each([
    ['queue', queue],
    ['dead-letter queue', deadLetterQueue],
  ])('encrypts the %s with the data key and refuses requests without TLS', (_name, target) => {
    expect(refersTo(resources[logicalIdOf(target)]!.Properties.KmsMasterKeyId, dataKeyId)).toBe(true);
    const policy = queuePolicies.find((candidate) => candidate.Properties.Queues.some((ref: unknown) => refersTo(ref, logicalIdOf(target))));
    expect(policy?.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });
});

describe('the marketplace registry secret', () => {
  it('is encrypted with the data key', () => {
    expect(refersTo(resources[logicalIdOf(stack.marketplaceConfig)]!.Properties.KmsKeyId, dataKeyId)).toBe(true);
  });
});

describe('the outputs', () => {
  const outputFor = (name: string) => outputs[name]?.Value;

  it('name every table, every queue and dead-letter queue, the state machines, the secret and the API URL', () => {
    for (const [tableId, table] of Object.entries(stack.tables)) {
      expect(refersTo(outputFor(`${pascal(tableId)}TableName`), logicalIdOf(table))).toBe(true);
    }
    for (const [queueId, { queue, deadLetterQueue }] of Object.entries(stack.queues)) {
      expect(refersTo(outputFor(`${pascal(queueId)}QueueUrl`), logicalIdOf(queue))).toBe(true);
      expect(refersTo(outputFor(`${pascal(queueId)}DeadLetterQueueUrl`), logicalIdOf(deadLetterQueue))).toBe(true);
    }
    for (const [machineId, machine] of Object.entries(stack.stateMachines)) {
      expect(refersTo(outputFor(`${pascal(machineId)}StateMachineArn`), logicalIdOf(machine))).toBe(true);
    }
    expect(refersTo(outputFor('MarketplacesSecretArn'), logicalIdOf(stack.marketplaceConfig))).toBe(true);
    expect(refersTo(outputFor('ApiUrl'), logicalIdOf(stack.httpApi.api))).toBe(true);
  });
});
