import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { signPayload } from '@shared/webhooks/signature';
import { closedLoop, ms, openLoop, percentile } from './stats';

export interface IngestionTarget {
  readonly url: string;
  readonly secret: string;
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  readonly eventsQueueUrl: string;
  readonly nowSeconds: () => number;
}

const CONCURRENCY = 16;

/**
 * Signed-webhook ingestion against the local stack, next to the raw two-item
 * TransactWriteItems rate of the same DynamoDB Local.
 */
export async function benchIngestion(target: IngestionTarget, count: number): Promise<void> {
  let sequence = 0;
  const sendOne = async () => {
    const n = sequence++;
    const body = JSON.stringify({
      id: `bench-${process.pid}-${n}`,
      type: 'return.requested',
      occurredAt: new Date().toISOString(),
      data: {
        reference: `bench-${process.pid}-${n}`,
        orderId: `o-${n}`,
        customerRef: `c-${n % 500}`,
        requestType: 'refund_only',
        reason: 'not as described',
        deliveredAt: new Date().toISOString(),
        productCategory: 'electronics',
        amount: 99,
        currency: 'CNY',
      },
    });
    const ts = String(target.nowSeconds());
    const answer = await fetch(`${target.url}/webhooks/demo`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-aftercare-timestamp': ts, 'x-aftercare-signature': signPayload(target.secret, ts, body) },
    });
    await answer.arrayBuffer();
    if (answer.status !== 202) throw new Error(`webhook answered ${answer.status}`);
  };

  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: target.dynamodbEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  const rawTransaction = async (i: number) => {
    await documents.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: 'aftercare-tickets', Item: { pk: `TICKET#raw-${process.pid}-${i}`, version: 1 }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: 'aftercare-audit', Item: { pk: `TICKET#raw-${process.pid}-${i}`, sk: 'SEQ#0000000001' }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
  };

  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const sqs = new SQSClient({ endpoint: target.sqsEndpoint, region: 'us-east-1', credentials });
  const rawPut = async (i: number) => {
    await documents.send(
      new PutCommand({ TableName: 'aftercare-inbox', Item: { pk: `RAW#${process.pid}-${i}`, receivedAt: 'x' }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  };
  const rawSend = async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: `${target.eventsQueueUrl}-dlq`, MessageBody: '{}' }));
  };

  // Warm-up (JIT, connections, DynamoDB Local's caches), then the raw rate while the stack is idle.
  await closedLoop(200, CONCURRENCY, rawTransaction);
  await closedLoop(200, CONCURRENCY, sendOne);
  await new Promise((resolve) => setTimeout(resolve, 5_000)); // let the consumer drain the warm-up
  const raw = await closedLoop(count, CONCURRENCY, async (i) => rawTransaction(i + 1_000_000));
  const put = await closedLoop(300, 1, async (i) => rawPut(i));
  const send = await closedLoop(300, 1, rawSend);

  const ingestion = await closedLoop(count, CONCURRENCY, sendOne);
  const halfRate = ingestion.perSecond / 2;
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const steady = await openLoop(halfRate, 10, sendOne);
  documents.destroy();
  sqs.destroy();

  console.log(`ingestion (${count} signed webhooks, ${CONCURRENCY} in flight): ${ingestion.perSecond.toFixed(0)} accepted/s, ` +
    `p50 ${ms(percentile(ingestion.latencies, 50))}, p99 ${ms(percentile(ingestion.latencies, 99))}`);
  console.log(`raw TransactWriteItems (2 items, ${count}, ${CONCURRENCY} in flight): ${raw.perSecond.toFixed(0)}/s, ` +
    `p50 ${ms(percentile(raw.latencies, 50))}, p99 ${ms(percentile(raw.latencies, 99))}`);
  console.log(`where the time goes, one at a time: conditional PutItem p50 ${ms(percentile(put.latencies, 50))}, ` +
    `SQS SendMessage p50 ${ms(percentile(send.latencies, 50))}`);
  console.log(`ratio ingestion / raw: ${((ingestion.perSecond / raw.perSecond) * 100).toFixed(0)} % (target >= 70 %)`);
  console.log(`at half the maximum rate (${halfRate.toFixed(0)}/s for 10 s, ${steady.latencies.length} webhooks): ` +
    `p50 ${ms(percentile(steady.latencies, 50))}, p99 ${ms(percentile(steady.latencies, 99))} (target p99 <= 50 ms)`);
}
