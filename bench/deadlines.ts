import { createServer } from 'node:http';
import { signPayload } from '@shared/webhooks/signature';
import { ms, percentile } from './stats';

export const BENCH_MARKETPLACE = 'bench';
export const BENCH_SECRET = 'bench-webhook-secret-000001';
/** Short first-response deadline for the benchmark; the later deadlines stay out of the way. */
export const BENCH_FIRST_RESPONSE_SECONDS = 20;

/** A local on-call receiver that notes when each notification arrives. */
export async function startReceiver() {
  const arrivals = new Map<string, { at: number; dueAt: string }>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = Date.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; type: string; dueAt: string };
      // Breaches only: the 80 % warnings come before their deadlines by design.
      if (body.type === 'sla.breached' && !arrivals.has(body.id)) arrivals.set(body.id, { at, dueAt: body.dueAt });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/on-call`,
    arrivals,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * On the real clock: opens `count` complaints whose first response is due 20 s later, lets
 * every deadline pass, and measures from each due time to the on-call receiver getting the
 * breach notification.
 */
export async function benchDeadlines(url: string, receiver: Awaited<ReturnType<typeof startReceiver>>, count: number): Promise<void> {
  const run = `${process.pid}-${Date.now()}`;
  const started = Date.now();
  for (let n = 0; n < count; n += 1) {
    const body = JSON.stringify({
      id: `deadline-${run}-${n}`,
      type: 'complaint.created',
      occurredAt: new Date().toISOString(),
      data: { reference: `deadline-${run}-${n}`, orderId: `o-${n}`, customerRef: `c-${n}`, channel: 'app', subject: 'Late parcel', description: 'Where is it?' },
    });
    const ts = String(Math.floor(Date.now() / 1000));
    const answer = await fetch(`${url}/webhooks/${BENCH_MARKETPLACE}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-aftercare-timestamp': ts, 'x-aftercare-signature': signPayload(BENCH_SECRET, ts, body) },
    });
    await answer.arrayBuffer();
    // Spread the deadlines over a few seconds, as arrivals would be.
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
  const opened = (Date.now() - started) / 1000;
  const giveUpAt = Date.now() + (BENCH_FIRST_RESPONSE_SECONDS + 60) * 1000;
  while (receiver.arrivals.size < count && Date.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 200));

  const lateness = [...receiver.arrivals.values()].map((arrival) => arrival.at - Date.parse(arrival.dueAt));
  console.log(
    `deadline to on-call (${count} complaints opened over ${opened.toFixed(1)} s, first response due after ${BENCH_FIRST_RESPONSE_SECONDS} s): ` +
      `${receiver.arrivals.size} notified, p50 ${ms(percentile(lateness, 50))}, p99 ${ms(percentile(lateness, 99))}, max ${ms(Math.max(...lateness))} (target p99 <= 1 s)`,
  );
}
