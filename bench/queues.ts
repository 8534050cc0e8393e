import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '@shared/clock';
import { ticketIdFor, type Deadline } from '@shared/tickets/ticket';
import { TicketRepository } from '@shared/tickets/ticket-repository';
import { closedLoop, ms, percentile } from './stats';

const MARKETPLACE = 'demo';
const AGENT = 'bench-agent';
const SEED_CONCURRENCY = 16;
const QUERY_CONCURRENCY = 4;

/**
 * Work-queue reads with `count` open tickets in the stack: seeds them through the ticket
 * repository (each with its audit event and queue index keys, as the stack writes them),
 * one in ten assigned to the agent, deadlines spread over two days and one in twenty warned,
 * then times `GET /tickets?assignee=me` and `GET /tickets?atRisk=true` (first pages of 50).
 */
export async function benchQueues(url: string, dynamodbEndpoint: string, count: number, requests = 200): Promise<void> {
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamodbEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const repository = new TicketRepository({ client: documents, ticketsTable: 'aftercare-tickets', auditTable: 'aftercare-audit', clock: systemClock });
  const now = Date.now();
  const seeded = await closedLoop(count, SEED_CONCURRENCY, async (n) => {
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
  console.log(`work queues: seeded ${count} open tickets at ${seeded.perSecond.toFixed(0)}/s`);

  const tokenAnswer = await fetch(`${url}/_local/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'agent', marketplace: MARKETPLACE, subject: AGENT }),
  });
  const { token } = (await tokenAnswer.json()) as { token: string };
  for (const query of ['assignee=me', 'atRisk=true']) {
    let items = 0;
    const timed = await closedLoop(requests, QUERY_CONCURRENCY, async () => {
      const answer = await fetch(`${url}/tickets?${query}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await answer.json()) as { items?: unknown[] };
      if (answer.status !== 200) throw new Error(`GET /tickets?${query} answered ${answer.status}`);
      items = body.items?.length ?? 0;
    });
    console.log(
      `GET /tickets?${query} with ${count} open tickets (${requests} requests, ${QUERY_CONCURRENCY} in flight, ${items} items a page): ` +
        `p50 ${ms(percentile(timed.latencies, 50))}, p99 ${ms(percentile(timed.latencies, 99))}`,
    );
  }
  documents.destroy();
}
