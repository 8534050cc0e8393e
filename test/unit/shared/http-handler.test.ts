import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { httpHandler } from '@shared/http/http-handler';
import { logger } from '@shared/logger';

const context = {} as Context;
const event = (routeKey: string, claims?: Record<string, string>, headers: Record<string, string> = {}) =>
  ({
    routeKey,
    headers,
    pathParameters: { id: 'tkt_42' },
    requestContext: { requestId: 'req-1', ...(claims ? { authorizer: { jwt: { claims } } } : {}) },
  }) as unknown as APIGatewayProxyEventV2;

describe('httpHandler', () => {
  it('logs structured lines carrying the correlation and ticket ids, and drops them after the request', async () => {
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const handler = httpHandler(async () => {
        logger.info('inside');
        return { statusCode: 204 };
      });
      await handler(event('GET /tickets/{id}', { sub: 'a', role: 'agent', marketplaces: 'demo' }, { 'x-correlation-id': 'corr-7' }), context);
      logger.info('after');
    } finally {
      write.mockRestore();
    }
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged.find((line) => line.message === 'inside')).toMatchObject({ correlationId: 'corr-7', ticketId: 'tkt_42', routeKey: 'GET /tickets/{id}' });
    expect(logged.find((line) => line.message === 'after')).not.toHaveProperty('ticketId');
  });

  it('answers 401 on a listed route that arrives without verified claims, 403 for a role the table does not allow', async () => {
    const handler = httpHandler(async () => ({ statusCode: 200 }));
    expect((await handler(event('GET /audit/events'), context)).statusCode).toBe(401);
    expect((await handler(event('GET /audit/events', { sub: 'a', role: 'agent', marketplaces: '*' }), context)).statusCode).toBe(403);
    expect((await handler(event('GET /audit/events', { sub: 'a', role: 'auditor', marketplaces: '*' }), context)).statusCode).toBe(200);
  });

  it('refuses a JWT route the table does not name, and passes open routes', async () => {
    const handler = httpHandler(async () => ({ statusCode: 200 }));
    expect((await handler(event('GET /secret-new-route', { sub: 'a', role: 'admin', marketplaces: '*' }), context)).statusCode).toBe(403);
    expect((await handler(event('GET /openapi.json'), context)).statusCode).toBe(200);
  });
});
