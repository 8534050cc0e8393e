import type { SQSRecord } from 'aws-lambda';
import { CALLBACK_RETRY_SCHEDULE_SECONDS, type OutboundCallback } from '@shared/callbacks/outbox';
import { queuedCallbackSchema } from '@shared/callbacks/queued-callback';
import { ERASED_TEXT } from '@shared/conversation/message';
import type { MessageStore } from '@shared/conversation/message-store';
import type { MarketplaceConfig, MarketplaceRegistry } from '@shared/config/marketplaces';
import { parseJson, parseWith } from '@shared/http/parse';
import { logger } from '@shared/logger';
import { METRIC_NAMES, type Counter } from '@shared/observability/metrics';
import { retryOnConflict } from '@shared/tickets/retry-on-conflict';
import { marketplaceSignatureHeaders } from '@shared/webhooks/request-signature';
import type { TicketStepDeps } from '@shared/workflows/step-input';

/** A marketplace that does not answer within this counts as a failed attempt. */
export const CALLBACK_TIMEOUT_MS = 5_000;

export interface DeliverCallbackDeps extends TicketStepDeps {
  readonly registry: () => Promise<MarketplaceRegistry>;
  readonly fetch: typeof fetch;
  /** Where `ticket.message` callbacks find their text. */
  readonly messages: Pick<MessageStore, 'findById'>;
  /** Counts callbacks given up (the stack alarms on any). */
  readonly metrics: Counter;
}

type Attempt = { readonly ok: true } | { readonly ok: false; readonly error: string };

/**
 * Callbacks-queue consumer: posts one callback to the marketplace's `callbackUrl` as JSON,
 * signed under its `callbackSecret` by the marketplace's signature scheme (`aftercare-v1`:
 * `X-Aftercare-Timestamp`, `X-Aftercare-Signature`; `standard-webhooks`: `webhook-id`,
 * `webhook-timestamp`, `webhook-signature`), with `X-Aftercare-Delivery` the delivery id, the
 * same on every attempt. Each attempt is recorded on the ticket and audited: `callback.delivered`,
 * `callback.failed` (with the next attempt's time, from the backoff schedule) or, after the
 * last one, `callback.abandoned`. A refused delivery is not an error for the queue — the
 * ticket holds the retry; an error here (storage down) fails the message, which SQS retries
 * and finally dead-letters.
 */
export function createDeliverCallback(deps: DeliverCallbackDeps) {
  return async function deliverCallback(record: SQSRecord): Promise<void> {
    const message = parseWith(queuedCallbackSchema, parseJson(record.body), 'queued callback');
    const ticket = await deps.tickets.get(message.ticketId);
    const callback = ticket.callbacks?.find((candidate) => candidate.id === message.deliveryId);
    if (!callback || !callback.nextAttemptAt || callback.attempts >= message.attempt) return; // delivered, given up, or a duplicate

    const target = (await deps.registry()).marketplaces[ticket.marketplace];
    // Never sent unsigned: the receiver could not tell our callback from anyone's. A secret
    // added to the registry later lets the next scheduled attempt through.
    const attempt: Attempt = !target?.callbackUrl
      ? { ok: false, error: 'the marketplace has no callbackUrl configured' }
      : !target.callbackSecret
        ? { ok: false, error: 'the marketplace has no callbackSecret configured' }
        : await post(deps, target, target.callbackUrl, target.callbackSecret, callback);

    await retryOnConflict(async () => {
      const current = await deps.tickets.get(message.ticketId);
      const stored = current.callbacks?.find((candidate) => candidate.id === callback.id);
      if (!stored || stored.attempts >= message.attempt) return;
      const now = deps.clock.now().toISOString();
      const { next, action, reason } = recordAttempt(stored, attempt, now);
      if (next.gaveUpAt) deps.metrics.count(METRIC_NAMES.callbacksGivenUp);
      await deps.tickets.update(
        current,
        { callbacks: current.callbacks!.map((candidate) => (candidate.id === stored.id ? next : candidate)) },
        { actor: { type: 'system', id: 'callbacks' }, via: 'workflow', action, reason },
      );
    });
  };
}

/** The callback after an attempt, and how the attempt is audited. */
function recordAttempt(callback: OutboundCallback, attempt: Attempt, now: string) {
  const attempts = callback.attempts + 1;
  const what = `${callback.body.type} ${callback.id}, attempt ${attempts}`;
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
async function bodyOf(deps: DeliverCallbackDeps, callback: OutboundCallback): Promise<string> {
  const reply = callback.body.message;
  if (!reply) return JSON.stringify(callback.body);
  const stored = await deps.messages.findById(reply.id);
  return JSON.stringify({ ...callback.body, message: { ...reply, text: stored?.text ?? ERASED_TEXT } });
}

async function post(deps: DeliverCallbackDeps, target: MarketplaceConfig, url: string, secret: string, callback: OutboundCallback): Promise<Attempt> {
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
