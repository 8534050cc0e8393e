import { timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { SIGNATURE_TOLERANCE_SECONDS, type SignatureCheck } from './signature';

/** The Standard Webhooks headers (standardwebhooks.com), lower-case as the HTTP API passes them. */
export const STANDARD_WEBHOOK_HEADERS = { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' } as const;

/** Standard Webhooks secrets are `whsec_` and the base64 of a key of 24 bytes or more (32 characters). */
export const STANDARD_WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/;

/**
 * `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<content>">` under a `whsec_` secret, as the
 * `standardwebhooks` library signs it.
 */
export function signStandardWebhook(secret: string, id: string, timestampSeconds: number, content: string): string {
  return new Webhook(secret).sign(id, new Date(timestampSeconds * 1000), content);
}

/**
 * Checks the Standard Webhooks headers against every active secret (several during
 * rotation), accepting any of the space-separated `v1,` signatures, in constant time. The
 * window is checked here, on Aftercare's clock (the library's own check reads the system
 * clock, which the local runtime's manual clock does not move).
 */
export function verifyStandardWebhook(input: {
  readonly secrets: readonly string[];
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly content: string;
  readonly nowSeconds: number;
}): SignatureCheck {
  const id = input.headers[STANDARD_WEBHOOK_HEADERS.id];
  const timestamp = input.headers[STANDARD_WEBHOOK_HEADERS.timestamp];
  if (!id || id.length > 256) return { ok: false, reason: 'webhook-id header is required' };
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'webhook-timestamp header (unix seconds) is required' };
  if (Math.abs(input.nowSeconds - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) {
    return { ok: false, reason: `timestamp is outside the ${SIGNATURE_TOLERANCE_SECONDS} s window` };
  }
  const offered = (input.headers[STANDARD_WEBHOOK_HEADERS.signature] ?? '')
    .split(' ')
    .filter((part) => part.startsWith('v1,'))
    .map((part) => Buffer.from(part.slice(3), 'base64'));
  if (offered.length === 0) return { ok: false, reason: 'webhook-signature header with a v1, value is required' };
  for (const secret of input.secrets) {
    const expected = Buffer.from(signStandardWebhook(secret, id, Number(timestamp), input.content).slice(3), 'base64');
    if (offered.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected))) return { ok: true };
  }
  return { ok: false, reason: 'signature does not match' };
}
