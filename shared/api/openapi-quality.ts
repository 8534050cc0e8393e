import type { ROUTE_ROLES } from '@shared/auth/route-access';
import { listReviewsQuery, reviewBody } from '@shared/quality/review-schemas';
import { errorResponses, jsonContent, jsonResponse, pathParameter, queryParameters, schemaOf } from './openapi-parts';

const scores = {
  type: 'object',
  properties: { courtesy: { type: 'integer' }, accuracy: { type: 'integer' }, process: { type: 'integer' } },
  required: ['courtesy', 'accuracy', 'process'],
};

const review = {
  type: 'object',
  properties: {
    id: { type: 'string', description: '`<marketplace>.<period>.<first date>.<ticket id>`' },
    marketplace: { type: 'string' },
    period: { type: 'string', enum: ['day', 'week', 'month'] },
    start: { type: 'string', format: 'date' },
    ticketId: { type: 'string' },
    agent: { type: 'string', description: 'the agent of the complaint when it closed' },
    status: { type: 'string', enum: ['pending', 'done'] },
    drawnAt: { type: 'string', format: 'date-time' },
    scores,
    comment: { type: 'string' },
    reviewedBy: { type: 'string' },
    reviewedAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'marketplace', 'period', 'start', 'ticketId', 'agent', 'status', 'drawnAt'],
};

const draw = {
  type: ['object', 'null'],
  description: 'the recorded draw: anyone holding `seed` and the period\'s closed complaints picks the same tickets again (per agent, the lowest HMAC-SHA256 of the ticket id under the seed)',
  properties: {
    seed: { type: 'string' },
    share: { type: 'number' },
    drawnAt: { type: 'string', format: 'date-time' },
    method: { type: 'string', const: 'hmac-sha256' },
    agents: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          agent: { type: 'string' },
          closed: { type: 'integer', description: 'complaints the agent closed in the period' },
          candidatesHash: { type: 'string', description: 'SHA-256 of those ticket ids, sorted, one per line' },
          drawn: { type: 'array', items: { type: 'string' } },
        },
        required: ['agent', 'closed', 'candidatesHash', 'drawn'],
      },
    },
  },
};

/** The quality spot-check routes of the OpenAPI document. */
export function qualityPaths(rolesOf: (routeKey: keyof typeof ROUTE_ROLES) => string) {
  return {
    '/quality/reviews': {
      get: {
        operationId: 'listQualityReviews',
        tags: ['Quality'],
        summary: `A period's quality draw and its reviews ${rolesOf('GET /quality/reviews')}`,
        security: [{ bearer: [] }],
        parameters: queryParameters(listReviewsQuery),
        responses: {
          '200': jsonResponse('the period, its draw (null when not drawn) and its reviews', {
            type: 'object',
            properties: {
              marketplace: { type: 'string' },
              timeZone: { type: 'string' },
              period: { type: ['object', 'null'], properties: { kind: { type: 'string' }, start: { type: 'string' }, end: { type: 'string' } } },
              draw,
              reviews: { type: 'array', items: review },
            },
            required: ['marketplace', 'timeZone', 'period', 'draw', 'reviews'],
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    '/quality/reviews/{id}': {
      post: {
        operationId: 'reviewTicketQuality',
        tags: ['Quality'],
        summary: `Scores a drawn complaint on courtesy, accuracy and process, with a comment ${rolesOf('POST /quality/reviews/{id}')}`,
        description: 'Recorded on the ticket with its `quality.reviewed` audit event; the scores reach the agent\'s KPI rows (`reviews`). A review is done once: again, 409.',
        security: [{ bearer: [] }],
        parameters: [pathParameter('id', 'the review id, from `GET /quality/reviews`')],
        requestBody: { required: true, content: jsonContent(schemaOf(reviewBody)) },
        responses: { '200': jsonResponse('the review, done', { type: 'object', properties: { review }, required: ['review'] }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
  };
}
