import type { MarketplaceConfig } from '@shared/config/marketplaces';
import { signPayload, verifySignature, type SignatureCheck } from './signature';
import { signStandardWebhook, verifyStandardWebhook } from './standard-webhooks';

type SchemeOf = Pick<MarketplaceConfig, 'signatureScheme'>;

/**
 * Checks a marketplace's request by the signature scheme it chose: Aftercare's own
 * (`X-Aftercare-Timestamp`, `X-Aftercare-Signature: v1=<hex>`, the default) or Standard
 * Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`).
 * `content` is what is signed after the timestamp: the raw body, or `GET.<path>`.
 */
export function verifyMarketplaceRequest(
  config: SchemeOf & Pick<MarketplaceConfig, 'webhookSecrets'>,
  headers: Readonly<Record<string, string | undefined>>,
  content: string,
  nowSeconds: number,
): SignatureCheck {
  if (config.signatureScheme === 'standard-webhooks') {
    return verifyStandardWebhook({ secrets: config.webhookSecrets, headers, content, nowSeconds });
  }
  return verifySignature({
    secrets: config.webhookSecrets,
    timestampHeader: headers['x-aftercare-timestamp'],
    signatureHeader: headers['x-aftercare-signature'],
    rawBody: content,
    nowSeconds,
  });
}

/**
 * The signature headers of a request Aftercare sends to a marketplace (a callback), by the
 * scheme the marketplace chose. `id` is the delivery id, the same on every attempt: Standard
 * Webhooks signs it as `webhook-id`.
 */
export function marketplaceSignatureHeaders(config: SchemeOf, secret: string, id: string, timestampSeconds: number, body: string): Record<string, string> {
  const timestamp = String(timestampSeconds);
  if (config.signatureScheme === 'standard-webhooks') {
    return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signStandardWebhook(secret, id, timestampSeconds, body) };
  }
  return { 'x-aftercare-timestamp': timestamp, 'x-aftercare-signature': signPayload(secret, timestamp, body) };
}
