/**
 * AWS list prices, us-east-1, on-demand, without free tiers — the only place the cost
 * benchmark takes a price from (a test checks that no other file of bench/ holds one).
 *
 * Checked on 2026-12-01 against copies of the AWS pricing pages named in `source` (this
 * machine has no web access; the copies were read through a search index, so a price changed
 * after them would not show). Update `checkedOn` with the prices.
 */
export const AWS_PRICES = {
  checkedOn: '2026-12-01',
  region: 'us-east-1',
  stepFunctions: {
    /** Standard workflows: every state entered is a billed transition, retries included. */
    perStateTransition: 0.025 / 1_000,
    source: 'https://aws.amazon.com/step-functions/pricing/ ($0.025 per 1,000 state transitions)',
  },
  lambda: {
    perRequest: 0.2 / 1_000_000,
    /** Arm (Graviton), first 7.5 billion GB-seconds a month; duration billed per started millisecond. */
    perArm64GbSecond: 0.0000133334,
    source: 'https://aws.amazon.com/lambda/pricing/ ($0.20 per 1M requests; Arm $0.0000133334 per GB-second)',
  },
  dynamodb: {
    /** On-demand, Standard table class (prices since the November 2024 reduction). */
    perWriteRequestUnit: 0.625 / 1_000_000,
    perReadRequestUnit: 0.125 / 1_000_000,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ ($0.625 per million write, $0.125 per million read request units)',
  },
  sqs: {
    /** Standard queues; every 64 KB chunk of a request's payload is billed as one request. */
    perRequest: 0.4 / 1_000_000,
    source: 'https://aws.amazon.com/sqs/pricing/ ($0.40 per million requests, first 100 billion a month)',
  },
  apiGateway: {
    /** HTTP APIs, metered in 512 KB increments. */
    perHttpApiRequest: 1.0 / 1_000_000,
    source: 'https://aws.amazon.com/api-gateway/pricing/ (HTTP APIs: $1.00 per million, first 300 million a month)',
  },
  cloudWatchLogs: {
    /** Standard log class, data ingested. */
    perGbIngested: 0.5,
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (Logs, collect: $0.50 per GB)',
  },
  s3: {
    /** S3 Standard PUT, COPY, POST, LIST requests. */
    perPutRequest: 0.005 / 1_000,
    source: 'https://aws.amazon.com/s3/pricing/ ($0.005 per 1,000 PUT, COPY, POST, LIST requests)',
  },
} as const;

export type AwsPrices = typeof AWS_PRICES;
