import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StackClient } from '../support/http-client';
import { startLocalStackProcess } from '../support/local-stack-process';

/** `npm start -- --data DIR`: an open return's workflow resumes after a restart, with the limit it had. */
describe('local stack restart with an open return', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aftercare-return-data-'));

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes the return workflow at the merchant decision, with the same deadline', async () => {
    const first = await startLocalStackProcess(['--port', '0', '--clock', 'manual', '--data', dataDir]);
    let ticketId: string;
    let dueAt: string;
    try {
      const api = new StackClient(first.url);
      const now = new Date((await api.nowSeconds()) * 1000).toISOString();
      const request = {
        id: 'evt-return-persisted',
        type: 'return.requested',
        occurredAt: now,
        data: { reference: 'return-persisted', orderId: 'o-1', customerRef: 'c-1', requestType: 'return_refund', reason: 'too big', deliveredAt: now, productCategory: 'apparel', amount: 10, currency: 'CNY' },
      };
      const accepted = await api.sendWebhook('demo', first.announced('marketplace "demo" webhook secret'), JSON.stringify(request));
      expect(accepted.status).toBe(202);
      ticketId = accepted.body.ticketId;
      await api.advance(0);
      dueAt = (await api.get(`/tickets/${ticketId}`, await api.token('merchant'))).body.ticket.deadlines.merchantDecision.dueAt;
    } finally {
      await first.stop();
    }

    const second = await startLocalStackProcess(['--port', '0', '--clock', 'manual', '--data', dataDir]);
    try {
      const api = new StackClient(second.url);
      expect(second.output()).toContain('after the restart: queued 0 unapplied events again, started the workflows of 1 open tickets');
      await api.advance(0);
      const merchant = await api.token('merchant');
      const resumed = (await api.get(`/tickets/${ticketId}`, merchant)).body.ticket;
      expect(resumed).toMatchObject({ stage: 'requested', awaiting: { step: 'decision' } });
      expect(resumed.deadlines.merchantDecision.dueAt).toBe(dueAt);
      expect((await api.post(`/tickets/${ticketId}/actions`, { type: 'approve' }, merchant)).status).toBe(200);
      await api.advance(0);
      expect((await api.get(`/tickets/${ticketId}`, merchant)).body.ticket).toMatchObject({ stage: 'awaiting_shipment', awaiting: { step: 'buyerShipment' } });
    } finally {
      await second.stop();
    }
  }, 240_000);
});
