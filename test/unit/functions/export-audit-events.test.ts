import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { AuditRecord } from '@shared/audit/audit-record';
import { createExportAuditEvents, ExportTooLargeError } from '@functions/export-audit-events/export-audit-events';

const record = (seq: number): AuditRecord => ({
  ticketId: 't-1',
  marketplace: 'demo',
  seq,
  at: `2026-03-01T00:00:${String(seq).padStart(2, '0')}.000Z`,
  actor: { type: 'agent', id: 'a' },
  via: 'api',
  action: 'ticket.noted',
  changes: [],
  reason: 'x'.repeat(200),
  prevHash: '0'.repeat(64),
  hash: '1'.repeat(64),
});

const request = (query: Record<string, string>) =>
  ({
    routeKey: 'GET /audit/export',
    queryStringParameters: query,
    requestContext: { authorizer: { jwt: { claims: { sub: 'aud-1', role: 'auditor', marketplaces: 'demo' } } } },
  }) as unknown as APIGatewayProxyEventV2;

describe('export-audit-events', () => {
  it('refuses a range larger than one response can carry, and records no export', async () => {
    const appended: unknown[] = [];
    const exportEvents = createExportAuditEvents({
      maxBytes: 2_000,
      audit: {
        async *all() {
          for (let seq = 1; seq <= 50; seq += 1) yield record(seq);
        },
        appendMarketplaceEvent: async (_marketplace, fields) => {
          appended.push(fields);
          throw new Error('must not be called');
        },
      },
    });
    await expect(exportEvents(request({ marketplace: 'demo', from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z' }))).rejects.toThrow(ExportTooLargeError);
    expect(appended).toEqual([]);
  });
});
