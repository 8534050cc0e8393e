import { SIGNATURE_TOLERANCE_SECONDS } from '@shared/webhooks/signature';

/**
 * The signature schemes in the OpenAPI document. A marketplace chooses one
 * (`signatureScheme`: `aftercare-v1`, the default, or `standard-webhooks`); it signs its
 * requests with it and its callbacks are signed with it. On-call webhooks use `aftercare-v1`.
 */
const unixSeconds = { type: 'string', pattern: '^[0-9]+$' };

export const signatureSecuritySchemes = {
  webhookSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Aftercare-Signature',
    description: '`aftercare-v1`: `v1=<hex HMAC-SHA256 of "<X-Aftercare-Timestamp>.<raw body>">` under one of the marketplace\'s `webhookSecrets`',
  },
  standardWebhookSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'webhook-signature',
    description:
      '`standard-webhooks` (standardwebhooks.com): `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<raw body>">`, keyed with ' +
      'the base64-decoded part of a `whsec_` secret of the marketplace\'s `webhookSecrets`',
  },
  callbackStandardSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'webhook-signature',
    description: 'callbacks to a marketplace that chose `standard-webhooks`: signed under its `callbackSecret`; verify before trusting the body',
  },
};

/** Either scheme signs a marketplace's request: the one it chose. */
export const intakeSecurity = [{ webhookSignature: [] }, { standardWebhookSignature: [] }];

/** The headers besides the signature itself, by scheme. */
export const intakeSignatureParameters = [
  { name: 'X-Aftercare-Timestamp', in: 'header', required: false, description: '`aftercare-v1` (the default scheme): unix seconds when the request was signed', schema: unixSeconds },
  { name: 'webhook-id', in: 'header', required: false, description: '`standard-webhooks`: the message id, signed with the body', schema: { type: 'string', maxLength: 256 } },
  { name: 'webhook-timestamp', in: 'header', required: false, description: '`standard-webhooks`: unix seconds when the request was signed', schema: unixSeconds },
];

const verifyAdvice = `Recompute it over the raw bytes received, compare in constant time, and refuse timestamps more than ${SIGNATURE_TOLERANCE_SECONDS} s from your clock.`;

/** The `aftercare-v1` headers of a request Aftercare sends. */
export const aftercareSignatureHeaders = (what: string, required: boolean) => [
  { name: 'X-Aftercare-Timestamp', in: 'header', required, description: 'unix seconds when the request was signed', schema: unixSeconds },
  {
    name: 'X-Aftercare-Signature',
    in: 'header',
    required,
    description: `\`v1=<hex HMAC-SHA256 of "<X-Aftercare-Timestamp>.<raw body>">\` under ${what}. ${verifyAdvice}`,
    schema: { type: 'string', pattern: '^v1=[0-9a-f]{64}$' },
  },
];

/** The Standard Webhooks headers of a callback to a marketplace that chose that scheme. */
export const standardWebhookHeaders = (what: string) => [
  { name: 'webhook-id', in: 'header', required: false, description: '`standard-webhooks`: the delivery id (equals `X-Aftercare-Delivery`)', schema: { type: 'string' } },
  { name: 'webhook-timestamp', in: 'header', required: false, description: '`standard-webhooks`: unix seconds when the request was signed', schema: unixSeconds },
  {
    name: 'webhook-signature',
    in: 'header',
    required: false,
    description: `\`standard-webhooks\`: \`v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<raw body>">\` under ${what}; any Standard Webhooks library verifies it. ${verifyAdvice}`,
    schema: { type: 'string', pattern: '^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$' },
  },
];
