import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tables } from '@infra/resources';
import { createTables, startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/aws/dynamodb-local';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/aws/local-aws-environment';
import { freePort } from '../../infra/local/ports';

export interface DynamoFixture {
  readonly local: DynamoDbLocal;
  readonly client: DynamoDBDocumentClient;
  readonly tableNames: Record<keyof typeof tables, string>;
  stop(): Promise<void>;
}

/** DynamoDB Local in memory with the description's tables, for integration tests. */
export async function startDynamoFixture(): Promise<DynamoFixture> {
  const local = await startDynamoDbLocal({ port: await freePort() });
  const tableNames = Object.fromEntries(Object.keys(tables).map((id) => [id, `test-${id}`])) as DynamoFixture['tableNames'];
  await createTables(local.endpoint, tables, tableNames);
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: local.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  return {
    local,
    client,
    tableNames,
    stop: async () => {
      client.destroy();
      await local.stop();
    },
  };
}
