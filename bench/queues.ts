import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '@shared/clock';
import { ticketIdFor, type Deadline } from '@shared/tickets/ticket';
import { TicketRepository } from '@shared/tickets/ticket-repository';
import { printTable } from './report';
import { startStackProcess } from './stack-process';
import { closedLoop, ms, summarize, type LatencySummary } from './stats';

const MARKETPLACE = 'queues';
const AGENT = 'bench-agent';
const SEED_CONCURRENCY = 16;
const QUERY_CONCURRENCY = 4;
const QUERIES = ['assignee=me', 'atRisk=true'] as const;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface QueueResult {
  readonly openTickets: number;
  readonly seededPerSecond: number;
  readonly requests: number;
  readonly queries: (LatencySummary & { query: string; itemsPerPage: number })[];
}

/**
 * Work-queue reads with `count` open tickets in the stack: seeds them through the ticket
 * repository (each with its audit event and queue index keys, as the stack writes them; far
 * faster than opening each by webhook), one in ten assigned to the agent, deadlines spread
 * over two days and one in twenty warned, then times the first page of
 * `GET /tickets?assignee=me` and of `GET /tickets?atRisk=true`.
 */
export async function benchQueues(options: { count: number; requests: number }, log: (line: string) => void): Promise<QueueResult> {
  const stack = await startStackProcess({ config: { marketplaces: { [MARKETPLACE]: { webhookSecrets: ['bench-queues-webhook-secret-01'] } } } });
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.announced('dynamodb endpoint'), region: 'us-east-1', credentials }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  try {
    const repository = new TicketRepository({ client: documents, ticketsTable: 'aftercare-tickets', auditTable: 'aftercare-audit', clock: systemClock });
    const now = Date.now();
    log(`queues: seeding ${options.count} open complaints`);
    const seeded = await closedLoop(options.count, SEED_CONCURRENCY, async (n) => {
      const reference = `queue-${process.pid}-${n}`;
      const dueAt = new Date(now + ((n * 7919) % (48 * 60)) * 60_000).toISOString();
      const firstResponse: Deadline = n % 20 === 0 ? { dueAt, warnedAt: new Date(now).toISOString() } : { dueAt };
      await repository.create(
        {
          id: ticketIdFor(MARKETPLACE, reference),
          kind: 'complaint',
          marketplace: MARKETPLACE,
          externalRef: reference,
          orderId: `o-${n}`,
          customerRef: `c-${n % 1000}`,
          subject: 'bench',
          priority: 'normal',
          category: 'logistics',
          facts: {},
          stage: 'awaiting_first_response',
          escalationTier: n % 5 === 0 ? 1 : 0,
          ...(n % 10 === 0 ? { assignee: AGENT } : {}),
          deadlines: { firstResponse },
          breaches: [],
        },
        { actor: { type: 'system', id: 'bench' }, via: 'workflow', action: 'ticket.created' },
      );
    });

    const tokenAnswer = await fetch(`${stack.url}/_local/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'agent', marketplace: MARKETPLACE, subject: AGENT }),
    });
    const { token } = (await tokenAnswer.json()) as { token: string };
    const queries: QueueResult['queries'] = [];
    for (const query of QUERIES) {
      let itemsPerPage = 0;
      const timed = await closedLoop(options.requests, QUERY_CONCURRENCY, async () => {
        const answer = await fetch(`${stack.url}/tickets?marketplace=${MARKETPLACE}&${query}`, { headers: { authorization: `Bearer ${token}` } });
        const body = (await answer.json()) as { items?: unknown[] };
        if (answer.status !== 200) throw new Error(`GET /tickets?${query} answered ${answer.status}: ${JSON.stringify(body)}`);
        itemsPerPage = body.items?.length ?? 0;
      });
      queries.push({ query, itemsPerPage, ...summarize(timed.latencies) });
    }
    return { openTickets: options.count, seededPerSecond: seeded.perSecond, requests: options.requests, queries };
  } finally {
    documents.destroy();
    await stack.stop();
  }
}

export function printQueues(result: QueueResult): void {
  printTable(
    `work queues with ${result.openTickets} open tickets (${result.requests} requests each, ${QUERY_CONCURRENCY} in flight)`,
    ['query', 'items a page', 'p50', 'p99'],
    result.queries.map((query) => [`GET /tickets?${query.query}`, query.itemsPerPage, ms(query.p50), ms(query.p99)]),
  );
}
