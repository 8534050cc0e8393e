import { routes } from '@infra/resources';
import { openApiDocument } from '@shared/api/openapi';
import { ROLES, type Caller } from '@shared/auth/caller';
import { ROUTE_ROLES, TicketOutsideGrantError, ticketForCaller } from '@shared/auth/route-access';

describe('the route × role table', () => {
  it('names every JWT route of the resource description, and nothing else', () => {
    const jwtRoutes = routes.filter((route) => route.auth === 'jwt').map((route) => `${route.method} ${route.path}`);
    expect(Object.keys(ROUTE_ROLES).sort()).toEqual([...jwtRoutes].sort());
  });

  it('lets auditors only read', () => {
    for (const [routeKey, roles] of Object.entries(ROUTE_ROLES)) {
      if ((roles as readonly string[]).includes('auditor')) expect(routeKey).toMatch(/^GET /);
    }
  });

  it('uses only the known roles', () => {
    for (const roles of Object.values(ROUTE_ROLES)) for (const role of roles) expect(ROLES).toContain(role);
  });
});

describe('ticketForCaller', () => {
  const agentOf = (...marketplaces: string[]): Caller => ({ subject: 's', role: 'agent', marketplaces });
  const notFound = () => new Error('404');

  it('gives the same refusal for a foreign ticket and a missing one', async () => {
    await expect(ticketForCaller(agentOf('a'), async () => ({ marketplace: 'b' }), notFound)).rejects.toThrow(TicketOutsideGrantError);
    await expect(ticketForCaller(agentOf('a'), async () => undefined, notFound)).rejects.toThrow(TicketOutsideGrantError);
  });

  it('answers 404 for a missing ticket only to a caller who sees every marketplace', async () => {
    await expect(ticketForCaller(agentOf('*'), async () => undefined, notFound)).rejects.toThrow('404');
    await expect(ticketForCaller(agentOf('*'), async () => ({ marketplace: 'b' }), notFound)).resolves.toEqual({ marketplace: 'b' });
  });
});

describe('the OpenAPI document', () => {
  it('documents every route of the resource description but itself and its rendering', () => {
    const paths = openApiDocument().paths as Record<string, Record<string, unknown>>;
    for (const route of routes.filter((candidate) => candidate.path !== '/openapi.json' && !candidate.path.startsWith('/docs'))) {
      expect({ route: `${route.method} ${route.path}`, documented: Boolean(paths[route.path]?.[route.method.toLowerCase()]) }).toEqual({
        route: `${route.method} ${route.path}`,
        documented: true,
      });
    }
  });
});
