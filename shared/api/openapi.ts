import { z } from 'zod';
import { auditEventsParamsSchema, auditExportParamsSchema } from '@shared/audit/audit-query-params';
import { ROUTE_ROLES } from '@shared/auth/route-access';
import { listNotificationsQuery } from '@shared/notifications/list-query';
import { kpiReportQuery } from '@shared/reports/kpi-query';
import { ticketActionSchema } from '@shared/tickets/actions';
import { webhookEventSchema } from '@shared/webhooks/events';

const errorBody = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' } },
  required: ['error', 'message'],
};

const jsonContent = (schema: unknown) => ({ 'application/json': { schema } });
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [String(code), { description: 'error', content: jsonContent(errorBody) }]));
const schemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input' });
/** Query parameters from a zod object schema, each with its own schema and description. */
const queryParameters = (schema: z.ZodObject) =>
  Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: 'query',
    required: !(field as z.ZodType).safeParse(undefined).success,
    description: (field as z.ZodType).description,
    schema: schemaOf(field as z.ZodType),
  }));

/** Query parameters of an audit route, from the refined zod schema its handler validates with, described here. */
function rangeQueryParameters(schema: z.ZodType, descriptions: Record<string, string>) {
  const json = schemaOf(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: (json.required ?? []).includes(name),
    description: descriptions[name],
    schema: property,
  }));
}

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

/**
 * The webhook and API contract, generated from the same zod schemas the handlers validate
 * with, so the document cannot drift from the code.
 */
export function openApiDocument() {
  const bearer = [{ bearer: [] }];
  const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  return {
    openapi: '3.0.3',
    info: {
      title: 'Aftercare',
      version: '0.1.0',
      description:
        'Marketplace complaints and after-sales. Webhooks are signed: `X-Aftercare-Timestamp` (unix seconds) and ' +
        '`X-Aftercare-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`, within 300 s.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        webhookSignature: { type: 'apiKey', in: 'header', name: 'X-Aftercare-Signature' },
      },
    },
    paths: {
      '/webhooks/{marketplace}': {
        post: {
          summary: 'Receive a marketplace event',
          security: [{ webhookSignature: [] }],
          parameters: [
            { name: 'marketplace', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'X-Aftercare-Timestamp', in: 'header', required: true, schema: { type: 'string' } },
          ],
          requestBody: { required: true, content: jsonContent(schemaOf(webhookEventSchema)) },
          responses: {
            '202': {
              description: 'stored durably and queued (or already received: `duplicate: true`)',
              content: jsonContent({
                type: 'object',
                properties: { eventId: { type: 'string' }, ticketId: { type: 'string' }, duplicate: { type: 'boolean' } },
                required: ['eventId', 'ticketId', 'duplicate'],
              }),
            },
            ...errors(400, 401, 404, 413),
          },
        },
      },
      '/tickets/{id}': {
        get: { summary: `A ticket ${rolesOf('GET /tickets/{id}')}`, security: bearer, parameters: [idParameter], responses: { '200': { description: '`ticket`, and `allowedActions`: the actions its stage allows now' }, ...errors(401, 403, 404) } },
      },
      '/tickets/{id}/actions': {
        post: {
          summary: `Act on a ticket ${rolesOf('POST /tickets/{id}/actions')}: complaints by agents, managers and admins; returns by merchants, managers and admins`,
          security: bearer,
          parameters: [idParameter],
          requestBody: { required: true, content: jsonContent(schemaOf(ticketActionSchema)) },
          responses: { '200': { description: 'the changed ticket' }, ...errors(400, 401, 403, 404, 409) },
        },
      },
      '/audit/tickets/{id}': {
        get: {
          summary: `A ticket's audit events, in order, with the chain verification ${rolesOf('GET /audit/tickets/{id}')}`,
          security: bearer,
          parameters: [idParameter],
          responses: {
            '200': { description: '`events`, `chain` (verified, also against `head`) and `head`: the sequence and hash the ticket records' },
            ...errors(401, 403, 404),
          },
        },
      },
      '/audit/events': {
        get: {
          summary: `One page of a marketplace's audit events in a time range, in time order ${rolesOf('GET /audit/events')}`,
          security: bearer,
          parameters: rangeQueryParameters(auditEventsParamsSchema, RANGE_DESCRIPTIONS),
          responses: {
            '200': { description: '`events` (ticket events, and the marketplace\'s own events such as exports, with `chain: "marketplace"`) and `cursor` unless this is the last page' },
            ...errors(400, 401, 403),
          },
        },
      },
      '/audit/export': {
        get: {
          summary: `Every audit event of a range as NDJSON or CSV; the export is itself recorded as an audit.exported event ${rolesOf('GET /audit/export')}`,
          security: bearer,
          parameters: rangeQueryParameters(auditExportParamsSchema, RANGE_DESCRIPTIONS),
          responses: {
            '200': {
              description: 'the events, one per line (CSV with a header row)',
              content: { 'application/x-ndjson': { schema: { type: 'string' } }, 'text/csv': { schema: { type: 'string' } } },
            },
            '413': { description: 'the range holds more than 5 MB of events (one response\'s limit): export shorter ranges', content: jsonContent(errorBody) },
            ...errors(400, 401, 403),
          },
        },
      },
      '/audit/marketplaces/{marketplace}/chain': {
        get: {
          summary: `A marketplace's own audit chain (its exports) in full, with its verification and newest checkpoint ${rolesOf('GET /audit/marketplaces/{marketplace}/chain')}`,
          security: bearer,
          parameters: [{ name: 'marketplace', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: '`events`, `chain` and `checkpoint`' }, ...errors(400, 401, 403) },
        },
      },
      '/notifications': {
        get: {
          summary: "A marketplace's recent on-call notifications, newest first, with each channel's delivery state (manager, admin)",
          security: bearer,
          parameters: queryParameters(listNotificationsQuery),
          responses: { '200': { description: '`notifications` and, when there are more, `cursor`' }, ...errors(400, 401, 403) },
        },
      },
      '/reports/kpis': {
        get: {
          summary: `A marketplace's KPIs per period (its time zone; weeks from Monday), overall or per group, each figure with its numerator and denominator ${rolesOf('GET /reports/kpis')}`,
          security: bearer,
          parameters: queryParameters(kpiReportQuery),
          responses: {
            '200': {
              description:
                '`rows`, one per period (and group): volume, first response (count, on-time share, mean, p50, p90), initial handling and ' +
                'resolution on time, resolution, escalation and reopen rates, CSAT with its band, NPS, breaches by metric, returns, ' +
                'review scores; with `format=csv` the same rows as CSV',
              content: { ...jsonContent({ type: 'object' }), 'text/csv': { schema: { type: 'string' } } },
            },
            ...errors(400, 401, 403, 404),
          },
        },
      },
    },
  };
}
