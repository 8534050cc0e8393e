import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { IndexSpec, KeyAttribute, TableSpec } from '@infra/resources';

const attribute = (key: KeyAttribute): Attribute => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/**
 * A DynamoDB table as its spec describes it (keys, indexes projecting every attribute, TTL),
 * with what every Aftercare table gets: on-demand capacity (traffic follows marketplace
 * activity, so there is nothing to provision for), point-in-time recovery, deletion
 * protection, encryption with the stack's data key, and RETAIN so that deleting the stack
 * never deletes tickets or their audit trail.
 *
 * The table is created directly in `scope` under `id`: its logical id must never change.
 */
export function createDataTable(scope: Construct, id: string, spec: TableSpec, dataKey: IKey): Table {
  const table = new Table(scope, id, {
    partitionKey: attribute(spec.partitionKey),
    sortKey: spec.sortKey && attribute(spec.sortKey),
    billingMode: BillingMode.PAY_PER_REQUEST,
    encryption: TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: dataKey,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    timeToLiveAttribute: spec.timeToLiveAttribute,
    stream: spec.stream ? StreamViewType.NEW_IMAGE : undefined,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of spec.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: attribute(index.partitionKey),
      sortKey: index.sortKey && attribute(index.sortKey),
      ...projectionOf(index),
    });
  }
  return table;
}

/** The index's projection as the CDK takes it (every attribute unless the description narrows it). */
function projectionOf(index: IndexSpec): { projectionType: ProjectionType; nonKeyAttributes?: string[] } {
  if (index.projection === undefined) return { projectionType: ProjectionType.ALL };
  if (index.projection === 'keys') return { projectionType: ProjectionType.KEYS_ONLY };
  return { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection] };
}
