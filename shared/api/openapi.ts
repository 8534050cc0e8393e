import { z } from 'zod';
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
        get: { summary: 'A ticket', security: bearer, parameters: [idParameter], responses: { '200': { description: 'the ticket' }, ...errors(401, 403, 404) } },
      },
      '/tickets/{id}/actions': {
        post: {
          summary: 'Act on a ticket: complaints (agent, manager, admin), returns (merchant, manager, admin)',
          security: bearer,
          parameters: [idParameter],
          requestBody: { required: true, content: jsonContent(schemaOf(ticketActionSchema)) },
          responses: { '200': { description: 'the changed ticket' }, ...errors(400, 401, 403, 404, 409) },
        },
      },
      '/audit/tickets/{id}': {
        get: {
          summary: "A ticket's audit events, in order, with the chain verification",
          security: bearer,
          parameters: [idParameter],
          responses: { '200': { description: 'events and `chain`' }, ...errors(401, 403, 404) },
        },
      },
    },
  };
}
