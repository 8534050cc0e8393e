import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { functions, type FunctionId } from '@infra/resources';
import { AWS_PRICES } from '../../../bench/cost/aws-prices';
import { costLines, gbSeconds, perThousand, totalDollars } from '../../../bench/cost/cost-model';
import { emptyUsage, type Usage } from '../../../bench/cost/usage';

const PRICES_FILE = join('bench', 'cost', 'aws-prices.ts');

function benchSources(dir = 'bench'): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return benchSources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function usageWith(change: (usage: Usage) => void): Usage {
  const usage = emptyUsage();
  change(usage);
  return usage;
}

const line = (usage: Usage, item: string) => costLines(usage).find((candidate) => candidate.item === item)!;

describe('the cost model of `npm run bench -- cost`', () => {
  it('sizes every function by the memory its spec in the resource description gives it', () => {
    for (const id of Object.keys(functions) as FunctionId[]) {
      expect(gbSeconds(id, 1000)).toBe(functions[id].memoryMb / 1024);
    }
    expect(gbSeconds('apply-event', 250)).toBe(0.125); // 512 MB for 250 ms
  });

  it('prices each item at the price in the one prices file', () => {
    const usage = usageWith((u) => {
      u.stateTransitions = 12;
      u.lambda['get-ticket'] = { invocations: 4, billedMs: 2000, measuredMs: 1990 };
      u.dynamodb.writeUnits = 100;
      u.dynamodb.readUnits = 40;
      u.sqsRequests = 9;
      u.apiRequests = 7;
      u.logBytes = { lambdaHandlers: 1024 ** 3, lambdaPlatform: 0, stepFunctions: 0, apiAccess: 0 };
      u.s3Puts = 3;
    });
    expect(line(usage, 'Step Functions state transitions').dollars).toBeCloseTo(12 * AWS_PRICES.stepFunctions.perStateTransition, 12);
    expect(line(usage, 'Lambda requests').dollars).toBeCloseTo(4 * AWS_PRICES.lambda.perRequest, 12);
    expect(line(usage, 'Lambda duration (arm64)')).toMatchObject({ quantity: (functions['get-ticket'].memoryMb / 1024) * 2 });
    expect(line(usage, 'Lambda duration (arm64)').dollars).toBeCloseTo((functions['get-ticket'].memoryMb / 1024) * 2 * AWS_PRICES.lambda.perArm64GbSecond, 12);
    expect(line(usage, 'DynamoDB writes').dollars).toBeCloseTo(100 * AWS_PRICES.dynamodb.perWriteRequestUnit, 12);
    expect(line(usage, 'DynamoDB reads').dollars).toBeCloseTo(40 * AWS_PRICES.dynamodb.perReadRequestUnit, 12);
    expect(line(usage, 'SQS requests').dollars).toBeCloseTo(9 * AWS_PRICES.sqs.perRequest, 12);
    expect(line(usage, 'API Gateway HTTP API requests').dollars).toBeCloseTo(7 * AWS_PRICES.apiGateway.perHttpApiRequest, 12);
    expect(line(usage, 'CloudWatch Logs ingested').dollars).toBeCloseTo(AWS_PRICES.cloudWatchLogs.perGbIngested, 12);
    expect(line(usage, 'S3 PUT requests').dollars).toBeCloseTo(3 * AWS_PRICES.s3.perPutRequest, 12);
    expect(totalDollars(perThousand(costLines(usage), 2))).toBeCloseTo(totalDollars(costLines(usage)) * 500, 9);
  });

  it('reads memory sizes and prices when it prices, so a change to either shows at once', () => {
    const spec = functions['get-ticket'] as { memoryMb: number };
    const prices = AWS_PRICES.dynamodb as { perReadRequestUnit: number };
    const [memory, price] = [spec.memoryMb, prices.perReadRequestUnit];
    try {
      spec.memoryMb = 3008;
      prices.perReadRequestUnit = 1;
      expect(gbSeconds('get-ticket', 1000)).toBe(3008 / 1024);
      expect(line(usageWith((u) => (u.dynamodb.readUnits = 5)), 'DynamoDB reads').dollars).toBe(5);
    } finally {
      spec.memoryMb = memory;
      prices.perReadRequestUnit = price;
    }
  });

  it('finds no copy of a price or a memory size elsewhere in bench/', () => {
    const pricesSource = readFileSync(PRICES_FILE, 'utf8');
    const priceLiterals = new Set(
      [...pricesSource.matchAll(/(?<![\w.])\d[\d_]*\.\d+(?:e-?\d+)?/g)].map((match) => match[0].replace(/_/g, '')).filter((literal) => !['0.5', '1.0'].includes(literal)),
    );
    expect(priceLiterals.size).toBeGreaterThanOrEqual(7);
    for (const file of benchSources().filter((path) => path !== PRICES_FILE)) {
      const source = readFileSync(file, 'utf8');
      const literals = [...source.matchAll(/(?<![\w.])\d[\d_]*\.\d+(?:e-?\d+)?/g)].map((match) => match[0].replace(/_/g, ''));
      expect({ file, prices: literals.filter((literal) => priceLiterals.has(literal)) }).toEqual({ file, prices: [] });
      expect({ file, memory: /memoryMb\s*[:=]|memorySize|\bMB_PER_FUNCTION\b/.test(source) }).toEqual({ file, memory: false });
    }
  });
});
