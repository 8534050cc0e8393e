import { schedules } from '@infra/resources';
import { AWS_PRICES } from './aws-prices';
import type { CostResult } from './bench-cost';
import { printTable } from '../report';

const dollars = (value: number) => `$${value.toFixed(4)}`;

/** The cost breakdown: one column per path, dollars per 1,000 tickets. */
export function printCost(result: CostResult): void {
  const items = result.scenarios[0]?.perThousand.map((line) => line.item) ?? [];
  printTable(
    `cost per 1,000 tickets on AWS (${AWS_PRICES.region} list prices checked ${AWS_PRICES.checkedOn}; ${result.scenarios[0]?.tickets ?? 0} tickets per path)`,
    ['', ...result.scenarios.map((scenario) => scenario.column)],
    [
      ...items.map((item) => [item, ...result.scenarios.map((scenario) => dollars(scenario.perThousand.find((line) => line.item === item)!.dollars))]),
      ['total', ...result.scenarios.map((scenario) => dollars(scenario.dollarsPerThousand))],
    ],
  );
  printTable(
    'what one ticket uses',
    ['', ...result.scenarios.map((scenario) => scenario.column)],
    [
      ['state transitions', ...result.scenarios.map((scenario) => scenario.perTicket.stateTransitions.toFixed(1))],
      ['Lambda invocations', ...result.scenarios.map((scenario) => (scenario.perThousand.find((line) => line.unit === 'invocations')!.quantity / 1000).toFixed(1))],
      ['Lambda GB-s', ...result.scenarios.map((scenario) => (scenario.perThousand.find((line) => line.unit === 'GB-s')!.quantity / 1000).toFixed(3))],
      ['DynamoDB WRU', ...result.scenarios.map((scenario) => (scenario.perThousand.find((line) => line.unit === 'WRU')!.quantity / 1000).toFixed(1))],
      ['DynamoDB RRU', ...result.scenarios.map((scenario) => (scenario.perThousand.find((line) => line.unit === 'RRU')!.quantity / 1000).toFixed(1))],
      ['SQS requests', ...result.scenarios.map((scenario) => (scenario.perThousand.find((line) => line.item === 'SQS requests')!.quantity / 1000).toFixed(1))],
      ['API requests', ...result.scenarios.map((scenario) => (scenario.perThousand.find((line) => line.item.startsWith('API'))!.quantity / 1000).toFixed(1))],
      ['log KB', ...result.scenarios.map((scenario) => (scenario.perThousand.find((line) => line.unit === 'bytes')!.quantity / 1000 / 1024).toFixed(1))],
      ['S3 puts', ...result.scenarios.map((scenario) => (scenario.perThousand.find((line) => line.item.startsWith('S3'))!.quantity / 1000).toFixed(1))],
    ],
  );
  const tables = [...new Set(result.scenarios.flatMap((scenario) => Object.keys(scenario.perTicket.dynamodbByTable)))].sort();
  printTable(
    'DynamoDB write units per ticket, by table (indexes: the part of the table\'s units they took)',
    ['', ...result.scenarios.map((scenario) => scenario.column)],
    tables.map((table) => [table.replace(/^aftercare-/, ''), ...result.scenarios.map((scenario) => (scenario.perTicket.dynamodbByTable[table]?.writeUnits ?? 0).toFixed(1))]),
  );
  console.log(`paths: ${result.scenarios.map((scenario) => `${scenario.column} = ${scenario.scenario}`).join('; ')}`);
  console.log(
    `complaints: target <= $${result.complaintTargetDollarsPerThousand.toFixed(2)} per 1,000 tickets all-in: ${result.complaintTargetMet ? 'met' : 'NOT met'}; ` +
      `schedules (${schedules.map((schedule) => schedule.function).join(', ')}) add $${result.scheduledDollarsPerMonth.toFixed(2)} a month whatever the volume`,
  );
}
