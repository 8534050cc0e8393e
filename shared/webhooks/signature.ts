import { createHmac, timingSafeEqual } from 'node:crypto';

/** Signatures older or further ahead than this are refused, against replays. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string };

/** `v1=<hex>` value for a body, as marketplaces compute it: HMAC-SHA256 of `"<timestamp>.<raw body>"`. */
export function signPayload(secret: string, timestamp: string, rawBody: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/**
 * Checks `X-Aftercare-Signature` against every active secret (several during rotation),
 * accepting any of several `v1=` values in the header, comparing in constant time.
 */
export function verifySignature(input: {
  readonly secrets: readonly string[];
  readonly timestampHeader: string | undefined;
  readonly signatureHeader: string | undefined;
  readonly rawBody: string;
  readonly nowSeconds: number;
}): SignatureCheck {
  const { timestampHeader, signatureHeader } = input;
  if (!timestampHeader || !/^\d{1,12}$/.test(timestampHeader)) {
    return { ok: false, reason: 'X-Aftercare-Timestamp header (unix seconds) is required' };
  }
  if (Math.abs(input.nowSeconds - Number(timestampHeader)) > SIGNATURE_TOLERANCE_SECONDS) {
    return { ok: false, reason: `timestamp is outside the ${SIGNATURE_TOLERANCE_SECONDS} s window` };
  }
  const offered = (signatureHeader ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => /^v1=[0-9a-f]{64}$/i.test(part))
    .map((part) => Buffer.from(part.slice(3).toLowerCase(), 'hex'));
  if (offered.length === 0) return { ok: false, reason: 'X-Aftercare-Signature header with a v1= value is required' };
  for (const secret of input.secrets) {
    const expected = Buffer.from(signPayload(secret, timestampHeader, input.rawBody).slice(3), 'hex');
    if (offered.some((candidate) => timingSafeEqual(candidate, expected))) return { ok: true };
  }
  return { ok: false, reason: 'signature does not match' };
}
