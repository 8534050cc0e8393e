import { paginateQuery, type DynamoDBDocumentClient, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';

type Item = NonNullable<QueryCommandOutput['Items']>[number];

/** Every item a Query matches, page after page (the SDK's paginator follows `LastEvaluatedKey`). */
export async function queryAll(client: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of paginateQuery({ client }, input)) items.push(...(page.Items ?? []));
  return items;
}

/** How many items a Query matches, over every page (`Select: COUNT`: no items are read back). */
export async function queryCount(client: DynamoDBDocumentClient, input: Omit<QueryCommandInput, 'Select'>): Promise<number> {
  let count = 0;
  for await (const page of paginateQuery({ client }, { ...input, Select: 'COUNT' })) count += page.Count ?? 0;
  return count;
}
