import { CALLBACK_TYPES, type CallbackType } from '@shared/callbacks/outbox';
import { notificationSchema } from '@shared/notifications/notification';
import { schemaOf } from './openapi-parts';
import { aftercareSignatureHeaders, standardWebhookHeaders } from './openapi-signatures';

const dateTime = { type: 'string', format: 'date-time' };

/** What each callback type tells the marketplace. */
const CALLBACK_DESCRIPTIONS: Record<CallbackType, string> = {
  'complaint.resolved': 'an agent resolved the complaint; ask the customer to confirm (`complaint.customer_confirmed`) or reopen',
  'complaint.closed': 'the complaint is closed',
  'return.approved': 'the merchant (or the platform, on intervention) approved the return request',
  'return.auto_approved': 'the merchant did not decide in time, so the request was approved by its deadline',
  'return.rejected': 'the request was rejected; `decision` says by whom (`merchant`, `policy`, `platform`), why, and the eligibility `rule`',
  'return.refund_due': 'the refund is due; pay it by `refundDueAt` and send `refund.completed`',
  'return.abandoned': 'the buyer did not ship the return in time; the case is closed as abandoned',
  'return.closed': 'the return case is closed',
  'ticket.message': 'an agent replied publicly; pass `message.text` on to the customer (an erased reply carries the marker `[erased]`)',
  'survey.requested':
    'the case is settled for the buyer (a confirmed complaint resolution, a refunded, exchanged or repaired return) and the satisfaction ' +
    'survey is due: ask the buyer, and send the answer as `survey.answered` (CSAT 1–5, optionally NPS 0–10) within the survey window ' +
    '(7 days by default); the ticket closes at the answer or at the end of the window',
};

/** The delivery id every request from Aftercare carries (callbacks and on-call webhooks). */
const deliveryHeader = {
  name: 'X-Aftercare-Delivery',
  in: 'header',
  required: true,
  description: 'the delivery id, the same on every attempt of this delivery: dedupe on it',
  schema: { type: 'string' },
};

const acknowledged = {
  '2XX': { description: 'received; any 2xx counts as delivered' },
  default: { description: 'any other answer, or none within 5 s, is a failed attempt, retried on the schedule described above' },
};

const callbackBody = (type: string) => ({
  type: 'object',
  properties: {
    deliveryId: { type: 'string', description: 'the same on every attempt; equals `X-Aftercare-Delivery`' },
    type: { const: type },
    occurredAt: dateTime,
    marketplace: { type: 'string' },
    ticketId: { type: 'string' },
    reference: { type: 'string', description: 'your case reference, as sent in the opening event' },
    orderId: { type: 'string' },
    stage: { type: 'string', description: 'the ticket\'s stage after the change' },
    outcome: { enum: ['refunded', 'exchanged', 'repaired', 'abandoned', 'rejected'] },
    decision: {
      type: 'object',
      properties: { by: { enum: ['merchant', 'policy', 'deadline', 'platform'] }, reason: { type: 'string' }, rule: { type: 'string' } },
      required: ['by'],
    },
    refundDueAt: dateTime,
    message: {
      type: 'object',
      description: '`ticket.message` only: the reply',
      properties: { id: { type: 'string' }, at: dateTime, text: { type: 'string' } },
      required: ['id', 'at', 'text'],
    },
  },
  required: ['deliveryId', 'type', 'occurredAt', 'marketplace', 'ticketId', 'reference', 'orderId', 'stage'],
});

const operationName = (prefix: string, type: string) =>
  prefix + type.split(/[._]/).map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');

/** One callback to the marketplace's `callbackUrl`. */
const callback = (type: CallbackType) => ({
  post: {
    operationId: operationName('callback', type),
    tags: ['Callbacks'],
    summary: `Callback: ${type}`,
    security: [{ callbackSignature: [] }, { callbackStandardSignature: [] }],
    description:
      `${CALLBACK_DESCRIPTIONS[type]}. POSTed to the marketplace's \`callbackUrl\`, signed under its \`callbackSecret\` by its \`signatureScheme\` ` +
      '(`aftercare-v1`: the `X-Aftercare-` headers; `standard-webhooks`: the `webhook-` headers). ' +
      'Sent at most a minute after the change; a failed attempt is retried after 1 min, 5 min, 15 min, 1 h, 2 h, 4 h, 8 h and 12 h.',
    parameters: [
      ...aftercareSignatureHeaders('the marketplace\'s `callbackSecret` (`aftercare-v1`)', false),
      ...standardWebhookHeaders('the marketplace\'s `callbackSecret`'),
      deliveryHeader,
    ],
    requestBody: { required: true, content: { 'application/json': { schema: callbackBody(type) } } },
    responses: acknowledged,
  },
});

/** `event.rejected`: one of the marketplace's events can never apply (it may belong to no ticket). */
const eventRejected = () => ({
  post: {
    operationId: 'callbackEventRejected',
    tags: ['Callbacks'],
    summary: 'Callback: event.rejected',
    security: [{ callbackSignature: [] }, { callbackStandardSignature: [] }],
    description:
      'one of your events was rejected and will never apply: a second opening event for an open reference, an event for the other kind ' +
      'of case, or an event held 24 h for one that never came. `reason` says which; `GET /webhooks/{marketplace}/events/{id}` tells the ' +
      'same. Signed and retried like every callback; sent when the marketplace has a `callbackUrl` at the moment of rejection.',
    parameters: [
      ...aftercareSignatureHeaders('the marketplace\'s `callbackSecret` (`aftercare-v1`)', false),
      ...standardWebhookHeaders('the marketplace\'s `callbackSecret`'),
      deliveryHeader,
    ],
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: {
              deliveryId: { type: 'string', description: 'the same on every attempt; equals `X-Aftercare-Delivery`' },
              type: { const: 'event.rejected' },
              occurredAt: { ...dateTime, description: 'when the event was rejected' },
              marketplace: { type: 'string' },
              eventId: { type: 'string', description: 'the `id` of your event' },
              eventType: { type: 'string', description: 'the `type` of your event' },
              reference: { type: 'string', description: 'the event\'s `data.reference`' },
              reason: { type: 'string', description: 'why it can never apply' },
            },
            required: ['deliveryId', 'type', 'occurredAt', 'marketplace', 'eventId', 'eventType', 'reference', 'reason'],
          },
        },
      },
    },
    responses: acknowledged,
  },
});

/** One on-call notification, as a `webhook` channel receives it. */
const onCall = (type: 'sla.warning' | 'sla.breached' | 'ticket.escalated', description: string) => ({
  post: {
    operationId: operationName('onCall', type),
    tags: ['On-call'],
    summary: `On-call: ${type}`,
    // Signed only when the channel has a signing secret: the empty alternative says so.
    security: [{ onCallSignature: [] }, {}],
    description:
      `${description}. POSTed to each on-call channel of \`type: "webhook"\` that covers the ticket's marketplace, tier and the ` +
      'notification\'s kind; signed when the channel has a `signingSecret`. Slack and PagerDuty channels receive those services\' own formats.',
    parameters: [
      ...aftercareSignatureHeaders('the channel\'s `signingSecret` (sent only when one is configured)', true).map((header) =>
        header.name === 'X-Aftercare-Signature' ? { ...header, required: false } : header,
      ),
      deliveryHeader,
    ],
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: { allOf: [schemaOf(notificationSchema), { type: 'object', properties: { type: { const: type } }, required: ['type'] }] },
        },
      },
    },
    responses: acknowledged,
  },
});

/** The OpenAPI 3.1 `webhooks` section: every request Aftercare sends out. */
export function outgoingWebhooks() {
  return {
    ...Object.fromEntries(CALLBACK_TYPES.map((type) => [type, callback(type)])),
    'event.rejected': eventRejected(),
    'sla.warning': onCall('sla.warning', 'a deadline is near (by default 80 % of its span has passed)'),
    'sla.breached': onCall('sla.breached', 'a deadline was missed; `lateBySeconds` says how late it was recorded, `escalationTier` where the ticket now is'),
    'ticket.escalated': onCall('ticket.escalated', "the ticket moved up to `escalationTier`'s pool (an agent escalated it, or a breach raised its tier): that tier's people should take it"),
  };
}
