import { functions, type FunctionId } from '@infra/resources';
import { AWS_PRICES } from './aws-prices';
import type { Usage } from './usage';

export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly dollars: number;
}

const MB_PER_GB = 1024;
const BYTES_PER_GB = 1024 ** 3;

/**
 * Lambda GB-seconds of a function's billed milliseconds, at the memory its spec in the
 * resource description gives it (the size the CDK stack deploys).
 */
export function gbSeconds(id: FunctionId, billedMs: number): number {
  return (functions[id].memoryMb / MB_PER_GB) * (billedMs / 1000);
}

/**
 * What `usage` costs at AWS list prices (the one prices file), line by line. Every price
 * and memory size is read from `AWS_PRICES` and `functions` when called, never copied.
 */
export function costLines(usage: Usage): CostLine[] {
  const prices = AWS_PRICES;
  const lambdaEntries = Object.entries(usage.lambda) as [FunctionId, NonNullable<Usage['lambda'][FunctionId]>][];
  const invocations = lambdaEntries.reduce((sum, [, fn]) => sum + fn.invocations, 0);
  const gbs = lambdaEntries.reduce((sum, [id, fn]) => sum + gbSeconds(id, fn.billedMs), 0);
  const logBytes = Object.values(usage.logBytes).reduce((sum, bytes) => sum + bytes, 0);
  return [
    { item: 'Step Functions state transitions', quantity: usage.stateTransitions, unit: 'transitions', dollars: usage.stateTransitions * prices.stepFunctions.perStateTransition },
    { item: 'Lambda requests', quantity: invocations, unit: 'invocations', dollars: invocations * prices.lambda.perRequest },
    { item: 'Lambda duration (arm64)', quantity: gbs, unit: 'GB-s', dollars: gbs * prices.lambda.perArm64GbSecond },
    { item: 'DynamoDB writes', quantity: usage.dynamodb.writeUnits, unit: 'WRU', dollars: usage.dynamodb.writeUnits * prices.dynamodb.perWriteRequestUnit },
    { item: 'DynamoDB reads', quantity: usage.dynamodb.readUnits, unit: 'RRU', dollars: usage.dynamodb.readUnits * prices.dynamodb.perReadRequestUnit },
    { item: 'SQS requests', quantity: usage.sqsRequests, unit: 'requests', dollars: usage.sqsRequests * prices.sqs.perRequest },
    { item: 'API Gateway HTTP API requests', quantity: usage.apiRequests, unit: 'requests', dollars: usage.apiRequests * prices.apiGateway.perHttpApiRequest },
    { item: 'CloudWatch Logs ingested', quantity: logBytes, unit: 'bytes', dollars: (logBytes / BYTES_PER_GB) * prices.cloudWatchLogs.perGbIngested },
    { item: 'S3 PUT requests', quantity: usage.s3Puts, unit: 'requests', dollars: usage.s3Puts * prices.s3.perPutRequest },
  ];
}

export function totalDollars(lines: readonly CostLine[]): number {
  return lines.reduce((sum, line) => sum + line.dollars, 0);
}

/** `usage` divided evenly over `tickets`, times 1,000. */
export function perThousand(lines: readonly CostLine[], tickets: number): CostLine[] {
  return lines.map((line) => ({ ...line, quantity: (line.quantity / tickets) * 1000, dollars: (line.dollars / tickets) * 1000 }));
}
