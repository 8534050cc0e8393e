import { cpus } from 'node:os';
import { signPayload } from '@shared/webhooks/signature';
import { sendReturnWebhook } from './ingestion';
import { startOnCallReceiver } from './on-call-receiver';
import { cpuBetween, cpuNow, type ProcessCpu } from './processes';
import { printProfile, profileDirectory, profileOf, type ProfileSummary } from './profile-summary';
import { eventsApplied } from './queue-depth';
import { printTable } from './report';
import { startStackProcess } from './stack-process';
import { closedLoop, ms, openLoop, summarize, type LatencySummary } from './stats';

const MARKETPLACE = 'deadlines';
const SECRET = 'bench-deadlines-secret-0001';

/** The on-call receiver, noting when each breach notification arrives. */
async function startReceiver() {
  const arrivals = new Map<string, { at: number; dueAt: string; recordedAt: string }>();
  const receiver = await startOnCallReceiver((body, at) => {
    // Breaches only: the 80 % warnings come before their deadlines by design.
    if (body.type === 'sla.breached' && !arrivals.has(body.ticketId)) arrivals.set(body.ticketId, { at, dueAt: body.dueAt, recordedAt: body.at });
  });
  return { ...receiver, arrivals };
}

export interface DeadlinesResult {
  readonly complaints: number;
  readonly dueAfterSeconds: number;
  /** From the first to the last first-response due time. */
  readonly dueSpreadSeconds: number;
  /** Whether every complaint's workflow was waiting before the first due time (else the figures include that backlog). */
  readonly appliedBeforeDue: boolean;
  readonly notified: number;
  /** From each due time to the on-call receiver getting the breach. */
  readonly lateness: LatencySummary;
  /** The two legs of it: from the due time to the breach recorded, and from then to the receiver. */
  readonly dueToRecorded: LatencySummary;
  readonly recordedToReceiver: LatencySummary;
  /** The ingestion running meanwhile: its target rate and what it got. */
  readonly background: LatencySummary & { targetPerSecond: number; maxPerSecond: number };
  /**
   * The CPU the stack's processes and this bench used from the first due time until the last
   * breach was told (or the bench gave up), by process, and as a share of all the machine's
   * cores over that window: near 100 %, the breaches waited for a core.
   */
  readonly cpuWhileDue: { windowSeconds: number; cores: number; secondsByProcess: Record<string, number>; busyPercent: number };
  /** Where the stack's CPU went during the run (`BENCH_PROFILE=1`: node --cpu-prof). */
  readonly profile?: ProfileSummary;
}

export interface DeadlinesOptions {
  readonly count: number;
  readonly dueAfterSeconds: number;
  /**
   * Over how many seconds the complaints are opened, evenly, and so fall due; 0 opens them as
   * fast as the stack takes them (16 in flight), which puts the due times closer together.
   */
  readonly spreadSeconds: number;
  /** The stack's maximum webhook rate, if the ingestion part measured it in this run. */
  readonly maxIngestionRate?: number;
}

/**
 * On the real clock: opens `count` complaints whose first responses fall due together (each
 * `dueAfterSeconds` after its receipt, opened evenly over `spreadSeconds`), then, from shortly
 * before the first due time until the last breach is told, keeps ingestion at half its maximum
 * rate, and measures from each due time to the on-call receiver getting the breach notification,
 * and the CPU every process used meanwhile.
 */
export async function benchDeadlines(options: DeadlinesOptions, log: (line: string) => void): Promise<DeadlinesResult> {
  const receiver = await startReceiver();
  const profile = profileDirectory();
  const stack = await startStackProcess({
    env: profile.env,
    config: {
      marketplaces: {
        [MARKETPLACE]: {
          webhookSecrets: [SECRET],
          sla: { default: { firstResponseSeconds: options.dueAfterSeconds, initialHandlingSeconds: 86_400, resolutionSeconds: 172_800 } },
        },
      },
      onCall: { webhookUrl: receiver.url },
    },
  });
  const tag = `${process.pid}-${Date.now()}`;
  let backgroundSequence = 0;
  const background = () => sendReturnWebhook(stack.url, backgroundSequence++, `${tag}-bg`);
  try {
    let maxPerSecond = options.maxIngestionRate;
    if (maxPerSecond === undefined) {
      log('deadlines: measuring the maximum ingestion rate (500 webhooks, 16 in flight)');
      await closedLoop(100, 16, background);
      maxPerSecond = (await closedLoop(500, 16, background)).perSecond;
      await eventsApplied(stack);
    }
    const targetPerSecond = maxPerSecond / 2;

    const pace = options.spreadSeconds > 0 ? `evenly over ${options.spreadSeconds} s` : 'as fast as the stack takes them';
    log(`deadlines: opening ${options.count} complaints ${pace}, first response due ${options.dueAfterSeconds} s after each`);
    const receivedAt: number[] = [];
    const openComplaint = async (n: number) => {
      const reference = `deadline-${tag}-${n}`;
      const body = JSON.stringify({
        id: reference,
        type: 'complaint.created',
        occurredAt: new Date().toISOString(),
        data: { reference, orderId: `o-${n}`, customerRef: `c-${n}`, channel: 'app', subject: 'Late parcel', description: 'Where is it?' },
      });
      const ts = String(Math.floor(Date.now() / 1000));
      const sentAt = Date.now();
      const answer = await fetch(`${stack.url}/webhooks/${MARKETPLACE}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-aftercare-timestamp': ts, 'x-aftercare-signature': signPayload(SECRET, ts, body) },
      });
      await answer.arrayBuffer();
      if (answer.status !== 202) throw new Error(`complaint webhook answered ${answer.status}`);
      receivedAt.push(sentAt);
    };
    const openedAt = Date.now();
    if (options.spreadSeconds > 0) await openLoop(options.count / options.spreadSeconds, options.spreadSeconds, openComplaint);
    else await closedLoop(options.count, 16, openComplaint);
    const openingSeconds = (Date.now() - openedAt) / 1000;
    await eventsApplied(stack); // every complaint's workflow waits for its first response
    const firstDue = Math.min(...receivedAt) + options.dueAfterSeconds * 1000;
    const lastDue = Math.max(...receivedAt) + options.dueAfterSeconds * 1000;
    const appliedBeforeDue = Date.now() < firstDue;
    if (!appliedBeforeDue) log('deadlines: the complaints were still being applied when the first fell due; raise BENCH_DEADLINE_AFTER_SECONDS');
    log(`deadlines: opened in ${openingSeconds.toFixed(1)} s; due from ${new Date(firstDue).toISOString()} to ${new Date(lastDue).toISOString()}`);

    const startLoadAt = firstDue - 10_000;
    if (startLoadAt > Date.now()) await new Promise((resolve) => setTimeout(resolve, startLoadAt - Date.now()));
    log(`deadlines: ingestion at ${targetPerSecond.toFixed(0)}/s until the breaches are told`);
    const giveUpAt = lastDue + 120_000;
    const loadSeconds = (lastDue + 20_000 - Date.now()) / 1000;
    const load = openLoop(targetPerSecond, Math.max(loadSeconds, 10), background);
    let cpuAtFirstDue: ProcessCpu[] = cpuNow(stack.pid);
    const firstDueReading = setTimeout(() => (cpuAtFirstDue = cpuNow(stack.pid)), firstDue - Date.now());
    while (receiver.arrivals.size < options.count && Date.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 50));
    clearTimeout(firstDueReading);
    const cpuAtLastTold = cpuNow(stack.pid);
    const windowSeconds = (Date.now() - firstDue) / 1000;
    const steady = await load;
    await stack.stop(); // writes the CPU profile, if one is taken

    const arrivals = [...receiver.arrivals.values()];
    const lateness = arrivals.map((arrival) => arrival.at - Date.parse(arrival.dueAt));
    return {
      complaints: options.count,
      dueAfterSeconds: options.dueAfterSeconds,
      dueSpreadSeconds: (lastDue - firstDue) / 1000,
      appliedBeforeDue,
      notified: receiver.arrivals.size,
      lateness: summarize(lateness),
      dueToRecorded: summarize(arrivals.map((arrival) => Date.parse(arrival.recordedAt) - Date.parse(arrival.dueAt))),
      recordedToReceiver: summarize(arrivals.map((arrival) => arrival.at - Date.parse(arrival.recordedAt))),
      background: { ...summarize(steady.latencies), targetPerSecond, maxPerSecond },
      cpuWhileDue: cpuShare(cpuBetween(cpuAtFirstDue, cpuAtLastTold), windowSeconds),
      profile: profileOf(profile.dir),
    };
  } finally {
    await stack.stop();
    await receiver.close();
  }
}

function cpuShare(secondsByProcess: Record<string, number>, windowSeconds: number): DeadlinesResult['cpuWhileDue'] {
  const cores = cpus().length;
  const used = Object.values(secondsByProcess).reduce((sum, seconds) => sum + seconds, 0);
  return { windowSeconds, cores, secondsByProcess, busyPercent: (used / (cores * windowSeconds)) * 100 };
}

export function printDeadlines(result: DeadlinesResult): void {
  printTable(
    `deadlines under load: ${result.complaints} first responses due within ${result.dueSpreadSeconds.toFixed(1)} s, ingestion at ${result.background.targetPerSecond.toFixed(0)}/s meanwhile`,
    ['', 'count', 'p50', 'p99', 'max'],
    [
      ['due time → on-call receiver', result.notified, ms(result.lateness.p50), ms(result.lateness.p99), ms(result.lateness.max)],
      ['  due time → breach recorded', result.notified, ms(result.dueToRecorded.p50), ms(result.dueToRecorded.p99), ms(result.dueToRecorded.max)],
      ['  recorded → on-call receiver', result.notified, ms(result.recordedToReceiver.p50), ms(result.recordedToReceiver.p99), ms(result.recordedToReceiver.max)],
      ['webhooks meanwhile (time to 202)', result.background.count, ms(result.background.p50), ms(result.background.p99), ms(result.background.max)],
    ],
  );
  console.log(`breaches told: ${result.notified} of ${result.complaints}; target p99 <= 1 s: ${result.notified === result.complaints && result.lateness.p99 <= 1000 ? 'met' : 'NOT met'}`);
  const cpu = result.cpuWhileDue;
  printTable(
    `CPU from the first due time to the last breach told (${cpu.windowSeconds.toFixed(1)} s, ${cpu.cores} cores): ${cpu.busyPercent.toFixed(0)} % of all cores busy`,
    ['process', 'CPU seconds'],
    Object.entries(cpu.secondsByProcess)
      .filter(([, seconds]) => seconds >= 0.05)
      .map(([name, seconds]) => [name, seconds.toFixed(1)]),
  );
  if (result.profile) printProfile(result.profile);
}
