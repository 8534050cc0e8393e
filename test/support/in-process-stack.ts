import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { tables } from '@infra/resources';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/aws/local-aws-environment';
import { DEMO_WEBHOOK_SECRET } from '../../infra/local/local-config';
import { startLocalStack, type LocalStack } from '../../infra/local/local-stack';
import { StackClient } from './http-client';

export interface InProcessStack {
  readonly stack: LocalStack;
  readonly api: StackClient;
  readonly secret: string;
  readonly documents: DynamoDBDocumentClient;
  /** Every item of a table: tests may count what was written (the product itself never scans). */
  allItems(table: keyof typeof tables): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

/**
 * The whole local stack started inside the test process (manual clock, in memory), for
 * integration tests that also look at the tables directly.
 */
export async function startInProcessStack(options: { configFile?: string } = {}): Promise<InProcessStack> {
  // The handlers log at INFO in the stack; in tests only warnings and errors are worth printing.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const stack = await startLocalStack({ port: 0, clock: 'manual', configFile: options.configFile });
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.endpoints.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
  );
  return {
    stack,
    api: new StackClient(stack.url),
    secret: DEMO_WEBHOOK_SECRET,
    documents,
    async allItems(table) {
      const items: Record<string, unknown>[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(new ScanCommand({ TableName: `aftercare-${table}`, ExclusiveStartKey: startKey }));
        items.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return items;
    },
    async stop() {
      documents.destroy();
      await stack.stop();
    },
  };
}
