import type { SQSRecord } from 'aws-lambda';
import { consumers } from '@infra/resources';
import { CALLBACK_RETRY_SCHEDULE_SECONDS, deliveredRecord, type CallbackBody, type OutboundCallback, type PostableCallback } from '@shared/callbacks/outbox';
import { queuedCallbackSchema, type QueuedCallback, type QueuedDelivery } from '@shared/callbacks/queued-callback';
import { ERASED_TEXT } from '@shared/conversation/message';
import type { MessageStore } from '@shared/conversation/message-store';
import type { MarketplaceConfig, MarketplaceRegistry } from '@shared/config/marketplaces';
import { parseJson, parseWith } from '@shared/http/parse';
import { logger } from '@shared/logger';
import { METRIC_NAMES, type Counter } from '@shared/observability/metrics';
import { retryOnConflict } from '@shared/tickets/retry-on-conflict';
import type { TicketChangeStep } from '@shared/tickets/ticket-repository';
import type { Inbox } from '@shared/webhooks/inbox';
import { marketplaceSignatureHeaders } from '@shared/webhooks/request-signature';
import type { TicketStepDeps } from '@shared/workflows/step-input';

/** A marketplace that does not answer within this counts as a failed attempt. */
export const CALLBACK_TIMEOUT_MS = 5_000;

/**
 * A batch may hold a callback of the same ticket in every record, each recording its attempt
 * on the ticket at the same moment. Every conflict means another of them got through, so a
 * batch's size in attempts (and two for other writers) lets all of them through; with fewer,
 * a delivery made but not recorded is made again when SQS retries the message.
 */
const RECORD_ATTEMPTS = consumers.find((consumer) => consumer.function === 'deliver-callback')!.batchSize + 2;

export interface DeliverCallbackDeps extends TicketStepDeps {
  readonly registry: () => Promise<MarketplaceRegistry>;
  readonly fetch: typeof fetch;
  /** Where `ticket.message` callbacks find their text. */
  readonly messages: Pick<MessageStore, 'findById'>;
  /** Counts callbacks given up (the stack alarms on any). */
  readonly metrics: Counter;
  /** Where a rejected event's `event.rejected` callback is kept. */
  readonly inbox: Pick<Inbox, 'find' | 'recordCallbackAttempt'>;
}

/** Any callback: a ticket's, or a rejected event's. */
type AnyCallback = OutboundCallback<{ readonly type: string }>;
/** Any callback that can still be posted. */
type PostableAny = PostableCallback<{ readonly type: string }>;

type Attempt = { readonly ok: true } | { readonly ok: false; readonly error: string };

/**
 * Callbacks-queue consumer: posts each callback of a message to the marketplace's
 * `callbackUrl` as JSON, signed under its `callbackSecret` by the marketplace's signature
 * scheme (`aftercare-v1`: `X-Aftercare-Timestamp`, `X-Aftercare-Signature`;
 * `standard-webhooks`: `webhook-id`, `webhook-timestamp`, `webhook-signature`), with
 * `X-Aftercare-Delivery` the delivery id, the same on every attempt. A ticket's callbacks in
 * one message are posted at once, and their attempts recorded on the ticket in one write (a
 * delivered one keeps its id, attempts and time there, not its body), each audited:
 * `callback.delivered`, `callback.failed` (with the next attempt's time, from the backoff
 * schedule) or, after the last one, `callback.abandoned`. An `event.rejected` callback lives
 * on the event's inbox item instead (the event may have no ticket) and its attempts are
 * recorded there, by the same schedule. A refused delivery is not an error for the queue —
 * the ticket holds the retry; an error here (storage down) fails the message, which SQS
 * retries and finally dead-letters.
 */
export function createDeliverCallback(deps: DeliverCallbackDeps) {
  return async function deliverCallback(record: SQSRecord): Promise<void> {
    const message = parseWith(queuedCallbackSchema, parseJson(record.body), 'queued callback');
    if ('eventId' in message) return deliverEventCallback(deps, message);
    const deliveries: readonly QueuedDelivery[] = 'deliveries' in message ? message.deliveries : [message];
    const ticket = await deps.tickets.get(message.ticketId);
    const due = deliveries.flatMap((delivery) => {
      const callback = ticket.callbacks?.find((candidate) => candidate.id === delivery.deliveryId);
      return isDue(callback, delivery) ? [{ callback, queuedAttempt: delivery.attempt }] : [];
    });
    if (!due.length) return;
    const attempts = await Promise.all(due.map(async (entry) => ({ ...entry, attempt: await attemptDelivery(deps, ticket.marketplace, entry.callback) })));

    const givenUp = await retryOnConflict(async () => {
      const current = await deps.tickets.get(message.ticketId);
      const now = deps.clock.now().toISOString();
      let callbacks = current.callbacks ?? [];
      const steps: TicketChangeStep[] = [];
      for (const { callback, queuedAttempt, attempt } of attempts) {
        const stored = callbacks.find((candidate) => candidate.id === callback.id);
        // Recorded already, by another delivery of the same attempt.
        if (!stored || stored.attempts >= queuedAttempt) continue;
        const { next, action, reason } = recordAttempt(stored, callback.body.type, attempt, now);
        const kept = next.deliveredAt ? deliveredRecord(next) : next;
        callbacks = callbacks.map((candidate) => (candidate.id === stored.id ? kept : candidate));
        steps.push({ change: { callbacks }, context: { actor: { type: 'system', id: 'callbacks' }, via: 'workflow', action, reason, bookkeeping: true } });
      }
      if (steps.length) await deps.tickets.updateInSteps(current, steps);
      return steps.filter((step) => step.context.action === 'callback.abandoned').length;
    }, RECORD_ATTEMPTS);
    for (let count = 0; count < givenUp; count += 1) deps.metrics.count(METRIC_NAMES.callbacksGivenUp);
  };
}

/** Whether the message is for an attempt still to make (not delivered, given up, or a duplicate). */
function isDue<Callback extends AnyCallback>(callback: Callback | undefined, message: QueuedDelivery): callback is Callback & PostableAny {
  return callback !== undefined && callback.id === message.deliveryId && callback.nextAttemptAt !== undefined && callback.attempts < message.attempt;
}

/** One attempt to post `callback` to its marketplace. */
async function attemptDelivery(deps: DeliverCallbackDeps, marketplace: string, callback: PostableAny): Promise<Attempt> {
  const target = (await deps.registry()).marketplaces[marketplace];
  // Never sent unsigned: the receiver could not tell our callback from anyone's. A secret
  // added to the registry later lets the next scheduled attempt through.
  return !target?.callbackUrl
    ? { ok: false, error: 'the marketplace has no callbackUrl configured' }
    : !target.callbackSecret
      ? { ok: false, error: 'the marketplace has no callbackSecret configured' }
      : post(deps, target, target.callbackUrl, target.callbackSecret, callback);
}

/** An `event.rejected` callback: posted like any other, its attempt recorded on the event's inbox item. */
async function deliverEventCallback(deps: DeliverCallbackDeps, message: Extract<QueuedCallback, { eventId: string }>): Promise<void> {
  const item = await deps.inbox.find(message.marketplace, message.eventId);
  if (!item || !isDue(item.callback, message)) return;
  const attempt = await attemptDelivery(deps, item.marketplace, item.callback);
  const { next, action, reason } = recordAttempt(item.callback, item.callback.body.type, attempt, deps.clock.now().toISOString());
  // Not recorded when another delivery of the same attempt recorded it first.
  if (await deps.inbox.recordCallbackAttempt(item, next)) logger.info(action, { marketplace: item.marketplace, eventId: item.eventId, reason });
}

/** The callback after an attempt, and how the attempt is audited. */
function recordAttempt<Callback extends AnyCallback>(callback: Callback, type: string, attempt: Attempt, now: string) {
  const attempts = callback.attempts + 1;
  const what = `${type} ${callback.id}, attempt ${attempts}`;
  if (attempt.ok) {
    return { next: { ...callback, attempts, nextAttemptAt: undefined, deliveredAt: now, lastError: undefined }, action: 'callback.delivered', reason: what };
  }
  const pause = CALLBACK_RETRY_SCHEDULE_SECONDS[attempts - 1];
  if (pause === undefined) {
    logger.warn('callback given up', { deliveryId: callback.id, attempts });
    return { next: { ...callback, attempts, nextAttemptAt: undefined, gaveUpAt: now, lastError: attempt.error }, action: 'callback.abandoned', reason: `${what}: ${attempt.error}; no attempts left` };
  }
  const nextAttemptAt = new Date(Date.parse(now) + pause * 1000).toISOString();
  return { next: { ...callback, attempts, nextAttemptAt, lastError: attempt.error }, action: 'callback.failed', reason: `${what}: ${attempt.error}; next attempt at ${nextAttemptAt}` };
}

/** The body as posted: a reply's text is read now from the messages table (the marker once erased). */
async function bodyOf(deps: DeliverCallbackDeps, callback: PostableAny): Promise<string> {
  const reply = (callback.body as Partial<CallbackBody>).message;
  if (!reply) return JSON.stringify(callback.body);
  const stored = await deps.messages.findById(reply.id);
  return JSON.stringify({ ...callback.body, message: { ...reply, text: stored?.text ?? ERASED_TEXT } });
}

async function post(deps: DeliverCallbackDeps, target: MarketplaceConfig, url: string, secret: string, callback: PostableAny): Promise<Attempt> {
  const body = await bodyOf(deps, callback);
  const timestamp = Math.floor(deps.clock.nowMs() / 1000);
  try {
    const response = await deps.fetch(url, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-aftercare-delivery': callback.id,
        ...marketplaceSignatureHeaders(target, secret, callback.id, timestamp, body),
      },
      signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return response.ok ? { ok: true } : { ok: false, error: `the marketplace answered ${response.status}` };
  } catch (error) {
    return { ok: false, error: `no answer from the marketplace (${error instanceof Error ? error.name : 'error'})` };
  }
}
