import { z } from 'zod';
import { auditEventsParamsSchema, auditExportParamsSchema } from '@shared/audit/audit-query-params';
import { ROUTE_ROLES } from '@shared/auth/route-access';
import { listNotificationsQuery } from '@shared/notifications/list-query';
import { kpiReportQuery } from '@shared/reports/kpi-query';
import { kpiReportSchema } from './openapi-kpi-report';
import { qualityPaths } from './openapi-quality';
import { ticketActionSchema } from '@shared/tickets/actions';
import { listTicketsQuery, ticketSummaryQuery } from '@shared/tickets/queue-query';
import { eraseMessageBody, listMessagesQuery, messagePageSchema, messageViewSchema } from '@shared/conversation/message-view';
import { acknowledgedNotificationSchema, ticketPageSchema, ticketSummarySchema } from './work-queue-schemas';
import { webhookEventSchema } from '@shared/webhooks/events';
import { SIGNATURE_TOLERANCE_SECONDS } from '@shared/webhooks/signature';
import { errorComponents, errorResponses, jsonContent, jsonResponse, pathParameter, queryParameters, rangeQueryParameters, schemaOf } from './openapi-parts';
import { componentSchemas } from './openapi-schemas';
import { intakeSecurity, intakeSignatureParameters, signatureSecuritySchemes } from './openapi-signatures';
import { outgoingWebhooks } from './openapi-webhooks';

/** "(auditor, admin)": who may call a route, from the one route × role table. */
const rolesOf = (routeKey: keyof typeof ROUTE_ROLES) => `(${ROUTE_ROLES[routeKey].join(', ')})`;

const RANGE_DESCRIPTIONS = {
  marketplace: 'the marketplace; must be within the caller\'s grant',
  from: 'start of the range, included (ISO-8601 with offset)',
  to: 'end of the range, excluded (ISO-8601 with offset)',
  actor: '`<type>:<id>`, e.g. `agent:alice`: only this actor\'s events',
  action: 'only events with this action, e.g. `ticket.escalated`',
  cursor: 'the `cursor` of the previous page of the same query',
  limit: 'events read per page (1–1000); with a filter a page may hold fewer, even none, and still carry a cursor',
  format: '`ndjson` (canonical JSON per line, as hashed) or `csv`',
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const bearer = [{ bearer: [] }];
const ticketId = pathParameter('id', 'the ticket id, `tkt_…`');
const marketplaceParameter = pathParameter('marketplace', 'the marketplace id, as configured', { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' });

const DESCRIPTION = `Marketplace complaints and after-sales, as a workflow with deadlines, escalation and a tamper-evident audit trail.

**Marketplaces** send signed events to \`POST /webhooks/{marketplace}\` and receive signed callbacks (see *Webhooks* below).
A request is signed with the marketplace's webhook secret by the scheme it chose (\`signatureScheme\`), within ${SIGNATURE_TOLERANCE_SECONDS} s of Aftercare's clock:
\`aftercare-v1\` (the default): \`X-Aftercare-Timestamp\` (unix seconds) and \`X-Aftercare-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">\`;
\`standard-webhooks\` (standardwebhooks.com, \`whsec_\` secrets): \`webhook-id\`, \`webhook-timestamp\` and \`webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>">\`.
Callbacks are signed the same way, under the \`callbackSecret\`. From a clone of the repository, \`npx aftercare webhook sign|send|status|verify\` does each step from a shell.
The integration guide, with test vectors for every signature, is \`docs/webhooks.md\` in the repository.

**People and tools** (agents, merchants, managers, auditors, admins) call the other routes with a JWT bearer token whose
\`role\` claim names their role and whose \`marketplaces\` claim (space-separated, \`*\` for all) limits what they see.

This document is served at \`/openapi.json\` and rendered for reading at \`/docs\`.

Bodies are JSON. Errors are \`{"error", "message"}\` with the field named; bad input is always a 4xx and writes nothing.`;

/**
 * The webhook and API contract (OpenAPI 3.1), generated from the same zod schemas the
 * handlers validate with, so the document cannot drift from the code. Each route of
 * `infra/resources.ts` has its entry under `paths`; what Aftercare sends out (callbacks,
 * on-call notifications) is under `webhooks`.
 */
export function openApiDocument() {
  return {
    openapi: '3.1.1',
    info: {
      title: 'Aftercare',
      version: '0.1.0',
      summary: 'Serverless workflow automation for marketplace complaints and after-sales.',
      description: DESCRIPTION,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [
      { url: 'http://127.0.0.1:3000', description: 'the local stack (`npm start`)' },
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: 'a deployed stack (its `ApiUrl` output)',
        variables: { apiId: { default: 'abcdef1234', description: 'the HTTP API id' }, region: { default: 'eu-central-1', description: 'the AWS region' } },
      },
    ],
    tags: [
      { name: 'Webhooks', description: 'events from marketplaces' },
      { name: 'Tickets', description: 'complaints and returns, for agents, merchants and managers' },
      { name: 'Audit', description: 'the hash-chained audit trail, for auditors (read only)' },
      { name: 'Notifications', description: 'on-call notifications and their delivery' },
      { name: 'Reports', description: 'KPIs for managers and auditors' },
      { name: 'Quality', description: 'quality spot-checks: the periodic draw of closed complaints and their reviews' },
      { name: 'Callbacks', description: 'what Aftercare sends to a marketplace\'s `callbackUrl`' },
      { name: 'On-call', description: 'what Aftercare sends to an on-call `webhook` channel' },
    ],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'a JWT with `sub`, `role` and `marketplaces` claims' },
        ...signatureSecuritySchemes,
        callbackSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Aftercare-Signature',
          description: 'callbacks Aftercare sends: signed under the marketplace\'s `callbackSecret`; verify before trusting the body',
        },
        onCallSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Aftercare-Signature',
          description: 'on-call webhooks Aftercare sends: signed under the channel\'s `signingSecret`, when it has one',
        },
      },
      schemas: componentSchemas,
      responses: errorComponents(),
    },
    paths: {
      '/webhooks/{marketplace}': {
        post: {
          operationId: 'receiveWebhook',
          tags: ['Webhooks'],
          summary: 'Send a marketplace event',
          description:
            'Stored durably and queued before the answer; applied asynchronously. The event `id` is the idempotency key: a redelivery ' +
            'gets the same answer with `duplicate: true` and changes nothing. Order of delivery does not matter: an event that depends ' +
            'on one not yet received is held until it arrives (for up to 24 h).',
          security: intakeSecurity,
          parameters: [
            marketplaceParameter,
            ...intakeSignatureParameters,
          ],
          requestBody: { required: true, content: jsonContent(schemaOf(webhookEventSchema)) },
          responses: {
            '202': jsonResponse('stored durably and queued (or already received: `duplicate: true`)', {
              type: 'object',
              properties: {
                eventId: { type: 'string' },
                ticketId: { type: 'string', description: 'the ticket the event belongs to (derived from the marketplace and `data.reference`)' },
                duplicate: { type: 'boolean' },
              },
              required: ['eventId', 'ticketId', 'duplicate'],
            }),
            ...errorResponses(400, 401, 404, 413),
          },
        },
      },
      '/webhooks/{marketplace}/events/{id}': {
        get: {
          operationId: 'getWebhookEvent',
          tags: ['Webhooks'],
          summary: 'What became of an event',
          description:
            'Signed like a webhook, by the marketplace\'s scheme and with one of its `webhookSecrets`, with `GET.<path>` (the path as requested) ' +
            'in place of the body: `aftercare-v1` signs `<timestamp>.GET.<path>`, e.g. `1767225600.GET./webhooks/acme/events/evt-1`; ' +
            '`standard-webhooks` signs `<webhook-id>.<webhook-timestamp>.GET.<path>` (any fresh `webhook-id`). Same window. Events are kept 30 days. ' +
            'An admin may ask instead with a bearer token (no signature) whose grant covers the marketplace (403 otherwise).',
          security: [...intakeSecurity, ...bearer],
          parameters: [
            marketplaceParameter,
            pathParameter('id', 'the event id you sent'),
            ...intakeSignatureParameters,
          ],
          responses: { '200': jsonResponse('the event\'s status', ref('EventStatus')), ...errorResponses(401, 403, 404) },
        },
      },
      '/tickets': {
        get: {
          operationId: 'listTickets',
          tags: ['Tickets'],
          summary: `A page of a marketplace's work queue ${rolesOf('GET /tickets')}: open tickets soonest due first, closed ones most recently closed first`,
          description:
            'Every combination of filters is one DynamoDB Query on a key or a queue index; filters the index does not hold are applied ' +
            'inside each page read (see the README, "Work queues"), and further reads fill the page, so every page but the last is full.',
          security: bearer,
          parameters: queryParameters(listTicketsQuery),
          responses: { '200': jsonResponse('one page of tickets and, when more follow, `cursor`', schemaOf(ticketPageSchema)), ...errorResponses(400, 401, 403) },
        },
      },
      '/tickets/summary': {
        get: {
          operationId: 'getTicketSummary',
          tags: ['Tickets'],
          summary: `The counts a manager's board shows ${rolesOf('GET /tickets/summary')}: open tickets by stage × tier, at risk, breached, unassigned`,
          security: bearer,
          parameters: queryParameters(ticketSummaryQuery),
          responses: { '200': jsonResponse('the counts', schemaOf(ticketSummarySchema)), ...errorResponses(400, 401, 403) },
        },
      },
      '/tickets/{id}': {
        get: {
          operationId: 'getTicket',
          tags: ['Tickets'],
          summary: `A ticket ${rolesOf('GET /tickets/{id}')}`,
          security: bearer,
          parameters: [ticketId],
          responses: { '200': jsonResponse('`ticket`, and `allowedActions`: the actions its stage allows now', ref('TicketAnswer')), ...errorResponses(401, 403, 404) },
        },
      },
      '/tickets/{id}/actions': {
        post: {
          operationId: 'actOnTicket',
          tags: ['Tickets'],
          summary: `Act on a ticket ${rolesOf('POST /tickets/{id}/actions')}`,
          description:
            'Complaints by agents, managers and admins; returns by merchants, managers and admins. A 409 names the stage and the actions it allows. ' +
            'The message of respond, handle, resolve, await_customer and reply is a public reply to the customer (called back as `ticket.message`) ' +
            'and meets the next reply owed after a customer message; `reply` leaves the stage as it is and is allowed at every open stage after the first response.',
          security: bearer,
          parameters: [
            ticketId,
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'any unique string (a UUID): a repeated request with the same key within 24 h gets the first answer again and acts once',
              schema: { type: 'string', minLength: 1, maxLength: 255 },
            },
          ],
          requestBody: { required: true, content: jsonContent(schemaOf(ticketActionSchema)) },
          responses: { '200': jsonResponse('the changed ticket', ref('TicketAnswer')), ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      '/tickets/{id}/messages': {
        get: {
          operationId: 'listTicketMessages',
          tags: ['Tickets'],
          summary: `A ticket's conversation in the order recorded ${rolesOf('GET /tickets/{id}/messages')}; internal notes only for agents, managers and admins`,
          description:
            "The complaint's description and the customer's replies (from webhooks), agents' public replies (respond, handle, resolve, " +
            'await_customer, reply: each also called back to the marketplace as `ticket.message`) and internal notes. For callers who may not ' +
            'see notes, they are filtered out inside each page read; pages are still full.',
          security: bearer,
          parameters: [ticketId, ...queryParameters(listMessagesQuery)],
          responses: { '200': jsonResponse('one page of messages', schemaOf(messagePageSchema)), ...errorResponses(400, 401, 403, 404) },
        },
      },
      '/tickets/{id}/messages/{messageId}/erase': {
        post: {
          operationId: 'eraseTicketMessage',
          tags: ['Tickets'],
          summary: `Erase a message's text on request (PIPL) ${rolesOf('POST /tickets/{id}/messages/{messageId}/erase')}`,
          description:
            'The text is replaced by `[erased]` and the erasure is recorded as the audit event `message.erased`. The audit event that ' +
            'recorded the message holds only its SHA-256 and length, so every chain still verifies.',
          security: bearer,
          parameters: [ticketId, pathParameter('messageId', 'the message id, as listed by `GET /tickets/{id}/messages`')],
          requestBody: { required: true, content: jsonContent(schemaOf(eraseMessageBody)) },
          responses: {
            '200': jsonResponse('the erased message', schemaOf(z.object({ message: messageViewSchema }))),
            ...errorResponses(400, 401, 403, 404, 409),
          },
        },
      },
      '/audit/tickets/{id}': {
        get: {
          operationId: 'getTicketAuditTrail',
          tags: ['Audit'],
          summary: `A ticket's audit events, in order, with the chain verification ${rolesOf('GET /audit/tickets/{id}')}`,
          security: bearer,
          parameters: [ticketId],
          responses: {
            '200': jsonResponse('the events, the chain verified (also against `head` and the newest `checkpoint`), and the head the ticket records', {
              type: 'object',
              properties: {
                ticketId: { type: 'string' },
                marketplace: { type: 'string' },
                events: { type: 'array', items: ref('AuditEvent') },
                chain: ref('ChainVerification'),
                head: { type: 'object', properties: { seq: { type: 'integer' }, hash: { type: 'string' } }, required: ['seq', 'hash'] },
                checkpoint: ref('Checkpoint'),
              },
              required: ['ticketId', 'marketplace', 'events', 'chain', 'head', 'checkpoint'],
            }),
            ...errorResponses(401, 403, 404),
          },
        },
      },
      '/audit/events': {
        get: {
          operationId: 'listAuditEvents',
          tags: ['Audit'],
          summary: `One page of a marketplace's audit events in a time range, in time order ${rolesOf('GET /audit/events')}`,
          security: bearer,
          parameters: rangeQueryParameters(auditEventsParamsSchema, RANGE_DESCRIPTIONS),
          responses: {
            '200': jsonResponse('ticket events, and the marketplace\'s own events (exports, with `chain: "marketplace"`); `cursor` unless this is the last page', {
              type: 'object',
              properties: {
                marketplace: { type: 'string' },
                from: { type: 'string' },
                to: { type: 'string' },
                events: { type: 'array', items: ref('AuditEvent') },
                cursor: { type: 'string' },
              },
              required: ['marketplace', 'from', 'to', 'events'],
            }),
            ...errorResponses(400, 401, 403),
          },
        },
      },
      '/audit/export': {
        get: {
          operationId: 'exportAuditEvents',
          tags: ['Audit'],
          summary: `Every audit event of a range as NDJSON or CSV ${rolesOf('GET /audit/export')}`,
          description: 'The export is itself recorded as an `audit.exported` event on the marketplace\'s own chain.',
          security: bearer,
          parameters: rangeQueryParameters(auditExportParamsSchema, RANGE_DESCRIPTIONS),
          responses: {
            '200': {
              description: 'the events, one per line (CSV with a header row)',
              content: { 'application/x-ndjson': { schema: { type: 'string' } }, 'text/csv': { schema: { type: 'string' } } },
            },
            '413': jsonResponse('the range holds more than 5 MB of events (one response\'s limit): export shorter ranges', ref('Error')),
            ...errorResponses(400, 401, 403),
          },
        },
      },
      '/audit/marketplaces/{marketplace}/chain': {
        get: {
          operationId: 'getMarketplaceChain',
          tags: ['Audit'],
          summary: `A marketplace's own audit chain (its exports) in full, verified, with its newest checkpoint ${rolesOf('GET /audit/marketplaces/{marketplace}/chain')}`,
          security: bearer,
          parameters: [marketplaceParameter],
          responses: {
            '200': jsonResponse('the events, the chain verification and the newest checkpoint', {
              type: 'object',
              properties: { marketplace: { type: 'string' }, events: { type: 'array', items: ref('AuditEvent') }, chain: ref('ChainVerification'), checkpoint: ref('Checkpoint') },
              required: ['marketplace', 'events', 'chain', 'checkpoint'],
            }),
            ...errorResponses(400, 401, 403),
          },
        },
      },
      '/notifications': {
        get: {
          operationId: 'listNotifications',
          tags: ['Notifications'],
          summary: `A marketplace's recent on-call notifications, newest first, with each channel's delivery state ${rolesOf('GET /notifications')}`,
          security: bearer,
          parameters: queryParameters(listNotificationsQuery),
          responses: {
            '200': jsonResponse('`notifications` and, when there are more, `cursor`', {
              type: 'object',
              properties: { marketplace: { type: 'string' }, notifications: { type: 'array', items: ref('NotificationRecord') }, cursor: { type: 'string' } },
              required: ['marketplace', 'notifications'],
            }),
            ...errorResponses(400, 401, 403),
          },
        },
      },
      '/notifications/{id}/ack': {
        post: {
          operationId: 'acknowledgeNotification',
          tags: ['Notifications'],
          summary: `Acknowledge an on-call notification ${rolesOf('POST /notifications/{id}/ack')}`,
          description:
            'Recorded on the notification and audited on its ticket (`notification.acknowledged`), then passed to every PagerDuty channel ' +
            'that delivered it as an Events API v2 `acknowledge` with the same dedup key. Acknowledging again keeps the first acknowledgement.',
          security: bearer,
          parameters: [pathParameter('id', 'the notification id, as listed by `GET /notifications`')],
          responses: {
            '200': jsonResponse('the notification', schemaOf(z.object({ notification: acknowledgedNotificationSchema }))),
            ...errorResponses(401, 403, 404),
          },
        },
      },
      '/reports/kpis': {
        get: {
          operationId: 'getKpiReport',
          tags: ['Reports'],
          summary: `A marketplace's KPIs per period (its time zone; weeks from Monday), overall or per group, each figure with its numerator and denominator ${rolesOf('GET /reports/kpis')}`,
          security: bearer,
          parameters: queryParameters(kpiReportQuery),
          responses: {
            '200': {
              description:
                '`rows`, one per period (and group): volume, first response and next reply (count, on-time share, mean, p50, p90), initial handling and ' +
                'resolution on time, resolution, escalation and reopen rates, CSAT with its band, NPS, breaches by metric, returns, ' +
                'review scores; with `format=csv` the same rows as CSV',
              content: { ...jsonContent(kpiReportSchema), 'text/csv': { schema: { type: 'string' } } },
            },
            ...errorResponses(400, 401, 403, 404),
          },
        },
      },
      ...qualityPaths(rolesOf),
    },
    webhooks: outgoingWebhooks(),
  };
}
