import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '@shared/clock';
import { ticketIdFor, type Ticket } from '@shared/tickets/ticket';
import { TicketRepository } from '@shared/tickets/ticket-repository';
import { signPayload } from '@shared/webhooks/signature';
import { startOnCallReceiver } from './on-call-receiver';
import { eventsApplied } from './queue-depth';
import { machine, printTable, writeResult } from './report';
import { startStackProcess, type StackProcess } from './stack-process';
import { closedLoop } from './stats';

/**
 * `npm run faults`: crashes the local stack (SIGKILL to all its processes, DynamoDB Local
 * included) at random moments while webhooks arrive, restarts it on the same `--data`, and
 * at the end checks every acknowledged event and every deadline: 0 events lost and 0 applied
 * twice is the bar. Not part of `npm test` (it runs for minutes on the real clock).
 *
 * FAULTS_ROUNDS crashes (20), FAULTS_RATE webhooks a second while up (10),
 * FAULTS_FIRST_RESPONSE_SECONDS the first-response limit (30: warnings and breaches fall due
 * while the stack is up and while it is down), FAULTS_UP_SECONDS the longest time up before
 * a crash (10; each round picks a random moment from 1 s to it).
 */
const MARKETPLACE = 'faults';
const SECRET = 'faults-webhook-secret-000001';
const ROUNDS = Number(process.env.FAULTS_ROUNDS ?? 20);
const RATE = Number(process.env.FAULTS_RATE ?? 10);
const FIRST_RESPONSE_SECONDS = Number(process.env.FAULTS_FIRST_RESPONSE_SECONDS ?? 30);
const UP_SECONDS = Number(process.env.FAULTS_UP_SECONDS ?? 10);
const WARNING_FRACTION = 0.8;
/** After the last restart: how long the workflows get to record what fell due meanwhile (the reconciler resumes them at start). */
const SETTLE_TIMEOUT_MS = 180_000;
const log = (line: string) => console.error(line);

interface Acknowledged {
  readonly reference: string;
  readonly at: number;
}

/** When the stack was down: from the crash to the moment the restarted stack was ready. */
interface Downtime {
  readonly from: number;
  readonly to: number;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const before = machine();
  const dataDir = mkdtempSync(join(tmpdir(), 'aftercare-faults-'));
  const receiver = await startReceiver();
  const config = {
    marketplaces: {
      [MARKETPLACE]: {
        webhookSecrets: [SECRET],
        sla: { default: { firstResponseSeconds: FIRST_RESPONSE_SECONDS, initialHandlingSeconds: 86_400, resolutionSeconds: 172_800 } },
      },
    },
    onCall: { webhookUrl: receiver.url },
  };
  const acknowledged: Acknowledged[] = [];
  const downtimes: Downtime[] = [];
  let sent = 0;
  let stack: StackProcess | undefined;
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      stack = await startStackProcess({ config, dataDir });
      const down = downtimes.at(-1);
      if (down) downtimes[downtimes.length - 1] = { from: down.from, to: Date.now() };
      const upMs = 1000 + Math.random() * (UP_SECONDS - 1) * 1000;
      log(`faults: round ${round}/${ROUNDS}: up, crashing in ${(upMs / 1000).toFixed(1)} s (${acknowledged.length} events acknowledged so far)`);
      const url = stack.url;
      const crashAt = Date.now() + upMs;
      // Open loop: a webhook every 1/RATE s until the crash, whatever the answers; those in flight at the crash fail or succeed.
      const inFlight: Promise<void>[] = [];
      while (Date.now() < crashAt) {
        const reference = `f-${startedAt.getTime()}-${sent++}`;
        inFlight.push(
          sendComplaint(url, reference).then(
            (status) => void (status === 202 && acknowledged.push({ reference, at: Date.now() })),
            () => undefined,
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 1000 / RATE));
      }
      await stack.kill();
      downtimes.push({ from: Date.now(), to: Number.NaN });
      await Promise.all(inFlight);
    }

    log('faults: last restart; waiting for every event to be applied and every deadline to be recorded');
    stack = await startStackProcess({ config, dataDir });
    downtimes[downtimes.length - 1] = { from: downtimes.at(-1)!.from, to: Date.now() };
    await eventsApplied(stack);
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: stack.announced('dynamodb endpoint'), region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    );
    const tickets = new TicketRepository({ client: documents, ticketsTable: 'aftercare-tickets', auditTable: 'aftercare-audit', clock: systemClock });
    const lastDue = Math.max(...acknowledged.map((event) => event.at)) + FIRST_RESPONSE_SECONDS * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, lastDue - Date.now()) + 5_000));
    const found = await settled(tickets, acknowledged);
    const figures = await tally(tickets, acknowledged, found, downtimes, receiver.received);
    documents.destroy();
    print(figures, sent);
    console.log(`(written to ${writeResult('faults', startedAt, before, { sent, ...figures }, 'npm run faults')})`);
    if (figures.events.lost > 0 || figures.events.duplicated > 0) process.exitCode = 1;
  } finally {
    await stack?.stop();
    await receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function sendComplaint(url: string, reference: string): Promise<number> {
  const body = JSON.stringify({
    id: reference,
    type: 'complaint.created',
    occurredAt: new Date().toISOString(),
    data: { reference, orderId: `o-${reference}`, customerRef: `c-${reference}`, channel: 'app', subject: 'Late parcel', description: 'Where is it?' },
  });
  const ts = String(Math.floor(Date.now() / 1000));
  const answer = await fetch(`${url}/webhooks/${MARKETPLACE}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-aftercare-timestamp': ts, 'x-aftercare-signature': signPayload(SECRET, ts, body) },
    signal: AbortSignal.timeout(10_000),
  });
  await answer.arrayBuffer();
  return answer.status;
}

/** Reads every acknowledged event's ticket until each has a warning or breach recorded for its first response as due, or the time is up. */
async function settled(tickets: TicketRepository, acknowledged: readonly Acknowledged[]): Promise<Map<string, Ticket | undefined>> {
  const giveUpAt = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const found = new Map<string, Ticket | undefined>();
    await closedLoop(acknowledged.length, 16, async (i) => {
      const { reference } = acknowledged[i]!;
      found.set(reference, await tickets.find(ticketIdFor(MARKETPLACE, reference)));
    });
    const waiting = [...found.values()].filter((ticket) => ticket && !ticket.deadlines.firstResponse?.breachedAt).length;
    if (waiting === 0 || Date.now() > giveUpAt) return found;
    log(`faults: ${waiting} first-response breaches not recorded yet`);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
}

async function tally(
  tickets: TicketRepository,
  acknowledged: readonly Acknowledged[],
  found: ReadonlyMap<string, Ticket | undefined>,
  downtimes: readonly Downtime[],
  received: ReadonlyMap<string, number>,
) {
  const duringDowntime = (ms: number) => downtimes.some((down) => ms >= down.from && ms < down.to);
  let lost = 0;
  let duplicated = 0;
  const warnings = { due: 0, dueWhileDown: 0, recorded: 0, recordedLate: 0, skippedAsPastDue: 0 };
  const breaches = { due: 0, dueWhileDown: 0, recorded: 0, recordedLate: 0 };
  await closedLoop(acknowledged.length, 16, async (i) => {
    const { reference } = acknowledged[i]!;
    const ticket = found.get(reference);
    if (!ticket) {
      lost++;
      return;
    }
    const created = (await tickets.history(ticket.id)).filter((event) => event.action === 'ticket.created').length;
    if (created > 1) duplicated++;
    const deadline = ticket.deadlines.firstResponse!;
    const dueMs = Date.parse(deadline.dueAt);
    const warnMs = Date.parse(ticket.createdAt) + WARNING_FRACTION * (dueMs - Date.parse(ticket.createdAt));
    warnings.due++;
    breaches.due++;
    const warnWhileDown = duringDowntime(warnMs);
    if (warnWhileDown) warnings.dueWhileDown++;
    if (duringDowntime(dueMs)) breaches.dueWhileDown++;
    if (deadline.warnedAt) {
      warnings.recorded++;
      if (Date.parse(deadline.warnedAt) - warnMs > 2_000) warnings.recordedLate++;
    } else if (warnWhileDown && downtimes.some((down) => warnMs >= down.from && dueMs < down.to)) {
      // Down through both moments: on restart the deadline is already past, and a warning for it is no longer worth sending.
      warnings.skippedAsPastDue++;
    }
    if (deadline.breachedAt) {
      breaches.recorded++;
      if (Date.parse(deadline.breachedAt) - dueMs > 2_000) breaches.recordedLate++;
    }
  });
  const notifications = { received: [...received.values()].reduce((sum, count) => sum + count, 0), distinct: received.size };
  return { downtimes: downtimes.length, events: { acknowledged: acknowledged.length, applied: acknowledged.length - lost, lost, duplicated }, warnings, breaches, notifications };
}

function print(figures: Awaited<ReturnType<typeof tally>>, sent: number): void {
  const { events, warnings, breaches, notifications } = figures;
  printTable(`${figures.downtimes} crashes (SIGKILL), ${sent} webhooks sent`, ['events acknowledged', 'applied', 'lost', 'duplicated'], [
    [events.acknowledged, events.applied, events.lost, events.duplicated],
  ]);
  printTable('deadlines (first response)', ['', 'due', 'due while down', 'recorded', 'recorded > 2 s late', 'not given: deadline past by restart'], [
    ['warnings', warnings.due, warnings.dueWhileDown, warnings.recorded, warnings.recordedLate, warnings.skippedAsPastDue],
    ['breaches', breaches.due, breaches.dueWhileDown, breaches.recorded, breaches.recordedLate, '–'],
  ]);
  printTable('on-call webhook', ['notifications received', 'distinct', 'received again (at-least-once; dedupe on the id)'], [
    [notifications.received, notifications.distinct, notifications.received - notifications.distinct],
  ]);
}

/** The on-call receiver: counts each notification id it is sent. */
async function startReceiver() {
  const received = new Map<string, number>();
  const receiver = await startOnCallReceiver((body) => received.set(body.id, (received.get(body.id) ?? 0) + 1));
  return { ...receiver, received };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
