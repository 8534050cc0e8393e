import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchCost } from './cost/bench-cost';
import { printCost } from './cost/print-cost';
import { benchDeadlines, printDeadlines } from './deadlines';
import { benchIngestion, printIngestion, type IngestionResult } from './ingestion';
import { benchKpiReports } from './kpi-report';
import { benchQueues, printQueues } from './queues';
import { machine, printTable, writeResult } from './report';
import { benchScale, printScale } from './scale';

/**
 * `npm run bench [-- part …]`: measures the local stack and prints each part's figures as a
 * table, writing them to bench/results/<part>.json with the machine they ran on. Parts run
 * in the order given; without any, all of them. Not part of `npm test`: figures vary with the
 * machine and its load; nothing here asserts a timing.
 */
const PARTS = ['cost', 'ingestion', 'deadlines', 'scale', 'queues', 'kpi'] as const;
type Part = (typeof PARTS)[number];

const numberFrom = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const optionalNumber = (name: string) => (process.env[name] === undefined ? undefined : Number(process.env[name]));
const log = (line: string) => console.error(line);

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((part) => !(PARTS as readonly string[]).includes(part));
  if (unknown.length) {
    console.error(`unknown part ${unknown.join(', ')}; the parts are: ${PARTS.join(', ')}`);
    process.exit(2);
  }
  const parts = (asked.length ? asked : PARTS) as Part[];
  const box = machine();
  printTable('machine', ['cores', 'memory', 'cpu', 'load (1/5/15 min)'], [[box.cores, `${box.memoryGiB} GiB`, box.cpuModel, box.loadAverage.join(' / ')]]);

  let ingestion: IngestionResult | undefined;
  for (const part of parts) {
    const startedAt = new Date();
    const before = machine();
    let figures: unknown;
    if (part === 'cost') {
      const result = await benchCost(numberFrom('BENCH_COST_TICKETS', 10), log);
      printCost(result);
      figures = result;
    } else if (part === 'ingestion') {
      ingestion = await benchIngestion(numberFrom('BENCH_COUNT', 2000), log);
      printIngestion(ingestion);
      figures = ingestion;
    } else if (part === 'deadlines') {
      const result = await benchDeadlines(
        {
          count: numberFrom('BENCH_DEADLINES', 2000),
          dueAfterSeconds: numberFrom('BENCH_DEADLINE_AFTER_SECONDS', 240),
          spreadSeconds: numberFrom('BENCH_DEADLINE_SPREAD_SECONDS', 60),
          maxIngestionRate: ingestion?.accepted.perSecond ?? optionalNumber('BENCH_INGESTION_MAX_RATE'),
        },
        log,
      );
      printDeadlines(result);
      figures = result;
    } else if (part === 'queues') {
      const result = await benchQueues({ count: numberFrom('BENCH_QUEUE_TICKETS', 10_000), requests: numberFrom('BENCH_QUEUE_REQUESTS', 200) }, log);
      printQueues(result);
      figures = result;
    } else if (part === 'kpi') {
      const sizes = (process.env.BENCH_KPI_SIZES ?? '10000,100000').split(',').map(Number);
      figures = await benchKpiReports(sizes, numberFrom('BENCH_KPI_REQUESTS', 200), log);
    } else {
      const sizes = (process.env.BENCH_SCALE_SIZES ?? '10000,50000').split(',').map(Number);
      // On disk, as `npm start` keeps the tables by default: SQLite's pages in files, not in DynamoDB Local's memory.
      const dataDir = process.env.BENCH_SCALE_ON_DISK ? mkdtempSync(join(tmpdir(), 'aftercare-scale-')) : undefined;
      try {
        // Each size's figures are printed and written as soon as they are measured.
        figures = await benchScale(
          {
            sizes,
            dynamodbHeap: process.env.BENCH_DYNAMODB_HEAP ?? '256m',
            dataDir,
            onStep: (soFar) => (printScale(soFar), writeResult(part, startedAt, before, soFar)),
          },
          log,
        );
      } finally {
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      }
    }
    console.log(`(written to ${writeResult(part, startedAt, before, figures)})`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
