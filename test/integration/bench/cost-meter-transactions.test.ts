import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { itemSizeBytes, transactionalWriteUnits } from '../../../bench/cost/item-size';
import { AwsMeter } from '../../../bench/cost/meter';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../infra/local/aws/local-aws-environment';
import { startDynamoFixture, type DynamoFixture } from '../../support/dynamodb-fixture';

describe('the cost meter on transactions of several items of one table (DynamoDB Local)', () => {
  let dynamo: DynamoFixture;
  let meter: AwsMeter;
  let sizer: DynamoDBClient;

  beforeAll(async () => {
    dynamo = await startDynamoFixture();
    meter = new AwsMeter();
    meter.install();
    sizer = new DynamoDBClient({ endpoint: dynamo.local.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    meter.sizeTransactionsWith(sizer);
  }, 60_000);

  afterAll(async () => {
    meter.uninstall();
    sizer.destroy();
    await dynamo.stop();
  });

  const counterUpdate = (sk: string) => ({
    Update: { TableName: dynamo.tableNames.reports, Key: { pk: 'KPI#meter', sk }, UpdateExpression: 'ADD opened :one', ExpressionAttributeValues: { ':one': 1 } },
  });

  it('counts each item by its own size, as AWS bills it, where DynamoDB Local reports one item for ten', async () => {
    const before = meter.usage.dynamodb.writeUnits;
    const big = { pk: 'KPI#meter', sk: 'state', text: 'x'.repeat(1500) };
    await dynamo.client.send(
      new TransactWriteCommand({ TransactItems: [{ Put: { TableName: dynamo.tableNames.reports, Item: big } }, ...Array.from({ length: 9 }, (_, n) => counterUpdate(`c${n}`))] }),
    );
    await meter.settled();
    // The 1.5 KB put is two kilobytes, each counter item under one: 2 × 2 + 9 × 2.
    expect(meter.usage.dynamodb.writeUnits - before).toBe(22);
    expect(meter.usage.dynamodb.byTable[dynamo.tableNames.reports]!.writeUnits).toBe(22);
  });

  it('leaves a transaction of one item per table at what DynamoDB Local reports', async () => {
    const before = meter.usage.dynamodb.writeUnits;
    await dynamo.client.send(new TransactWriteCommand({ TransactItems: [counterUpdate('single')] }));
    await meter.settled();
    expect(meter.usage.dynamodb.writeUnits - before).toBe(2);
  });

  it('sizes an item as DynamoDB does: names and values, numbers by their digits, maps with their overhead', async () => {
    await dynamo.client.send(new PutCommand({ TableName: dynamo.tableNames.reports, Item: { pk: 'KPI#size', sk: 'a', n: 12345, m: { k: 'v' }, ok: true } }));
    const { Item } = await sizer.send(new GetItemCommand({ TableName: dynamo.tableNames.reports, Key: { pk: { S: 'KPI#size' }, sk: { S: 'a' } } }));
    // pk 2 + 8, sk 2 + 1, n 1 + (3 + 1), m 1 + (3 + 1 + 1 + 1), ok 2 + 1.
    expect(itemSizeBytes(Item!)).toBe(10 + 3 + 5 + 7 + 3);
    expect([0, 1024, 1025, 2048].map(transactionalWriteUnits)).toEqual([2, 2, 4, 4]);
  });
});
