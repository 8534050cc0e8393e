import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { queryAll, queryCount } from '@shared/aws/query-all';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../infra/local/aws/local-aws-environment';
import { startDynamoFixture, type DynamoFixture } from '../../support/dynamodb-fixture';

const OPEN = 1_234;

describe('queryAll and queryCount on DynamoDB Local', () => {
  let dynamo: DynamoFixture;
  let client: DynamoDBDocumentClient;
  /** The Limit of every Query the client sent. */
  const limits: (number | undefined)[] = [];

  const openTickets = (extra: Partial<QueryCommandInput> = {}): QueryCommandInput => ({
    TableName: dynamo.tableNames.tickets,
    IndexName: 'open-by-due',
    KeyConditionExpression: 'openMarketplace = :marketplace',
    ExpressionAttributeValues: { ':marketplace': 'demo' },
    ...extra,
  });

  beforeAll(async () => {
    dynamo = await startDynamoFixture();
    client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.local.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
    client.middlewareStack.add(
      (next) => async (args) => {
        limits.push((args.input as { Limit?: number }).Limit);
        return next(args);
      },
      { step: 'initialize', name: 'recordQueryLimit' },
    );
    // The reconciler's read: every open ticket of a marketplace, on the sparse `open-by-due` index.
    for (let start = 0; start < OPEN; start += 25) {
      const items = Array.from({ length: Math.min(25, OPEN - start) }, (_, i) => {
        const n = start + i;
        return { pk: `TICKET#t-${n}`, id: `t-${n}`, kind: 'complaint', openMarketplace: 'demo', nextDueAt: `2026-01-01T00:00:00.${String(n).padStart(4, '0')}Z` };
      });
      await dynamo.client.send(new BatchWriteCommand({ RequestItems: { [dynamo.tableNames.tickets]: items.map((Item) => ({ PutRequest: { Item } })) } }));
    }
  }, 120_000);

  afterAll(async () => {
    client?.destroy();
    await dynamo?.stop();
  });

  beforeEach(() => {
    limits.length = 0;
  });

  it('reads every item in pages of 500 (QUERY_PAGE_SIZE), in index order', async () => {
    const items = await queryAll(client, openTickets());

    expect(items).toHaveLength(OPEN);
    expect(items.map((item) => item.id)).toEqual(Array.from({ length: OPEN }, (_, n) => `t-${n}`));
    expect(limits).toEqual([500, 500, 500]);
  });

  it('keeps a Limit the input sets', async () => {
    const items = await queryAll(client, openTickets({ Limit: 1_000 }));

    expect(items).toHaveLength(OPEN);
    expect(limits).toEqual([1_000, 1_000]);
  });

  it('counts every item over pages of 500', async () => {
    expect(await queryCount(client, openTickets())).toBe(OPEN);
    expect(limits).toEqual([500, 500, 500]);
  });
});
