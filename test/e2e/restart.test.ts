import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { complaintCreated, StackClient } from '../support/http-client';
import { startLocalStackProcess } from '../support/local-stack-process';

/** `npm start -- --data DIR`: Ctrl-C stops the stack cleanly, and a restart finds the data it had. */
describe('local stack restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aftercare-data-'));

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps tickets and their audit trail across a Ctrl-C and a restart', async () => {
    const first = await startLocalStackProcess(['--port', '0', '--clock', 'manual', '--data', dataDir]);
    let ticketId: string;
    try {
      const api = new StackClient(first.url);
      const secret = first.announced('marketplace "demo" webhook secret');
      const accepted = await api.sendWebhook('demo', secret, JSON.stringify(complaintCreated('persisted-1')));
      expect(accepted.status).toBe(202);
      ticketId = accepted.body.ticketId;
      await api.advance(0);
    } finally {
      await first.stop();
    }
    expect(first.output()).toContain('SIGINT: stopping');
    expect(first.output()).toContain('aftercare local stack stopped');
    expect(existsSync(dataDir)).toBe(true);

    const second = await startLocalStackProcess(['--port', '0', '--clock', 'manual', '--data', dataDir]);
    try {
      const api = new StackClient(second.url);
      const auditor = await api.token('auditor');
      const ticket = await api.get(`/tickets/${ticketId}`, auditor);
      expect(ticket.status).toBe(200);
      expect(ticket.body.ticket).toMatchObject({ id: ticketId, externalRef: 'persisted-1', stage: 'awaiting_first_response' });
      const redelivered = await api.sendWebhook('demo', second.announced('marketplace "demo" webhook secret'), JSON.stringify(complaintCreated('persisted-1')));
      expect(redelivered.body).toMatchObject({ ticketId, duplicate: true });

      // The workflow resumed on the kept ticket: it waits for the response again, with the same deadline.
      expect(second.output()).toContain('after the restart: queued 0 unapplied events again, started the workflows of 1 open tickets');
      await api.advance(0);
      const audit = await api.get(`/audit/tickets/${ticketId}`, auditor);
      expect(audit.body.chain).toMatchObject({ valid: true });
      // Created and awaited before the restart; the reconciler started the execution again, which awaits again.
      expect(audit.body.events.map((event: { action: string; reason?: string }) => [event.action, event.reason])).toEqual([
        ['ticket.created', undefined],
        ['workflow.awaiting_agent', undefined],
        ['workflow.repaired', `no execution ${ticketId}-1 was running (its start failed or was lost): starting it`],
        ['workflow.awaiting_agent', undefined],
      ]);
      const resumed = (await api.get(`/tickets/${ticketId}`, auditor)).body.ticket;
      expect(resumed.awaiting).toMatchObject({ step: 'respond' });
      expect(resumed.deadlines.firstResponse.dueAt).toBe(ticket.body.ticket.deadlines.firstResponse.dueAt);
      const agent = await api.token('agent');
      expect((await api.post(`/tickets/${ticketId}/actions`, { type: 'respond', message: 'Back online.' }, agent)).status).toBe(200);
      await api.advance(0);
      expect((await api.get(`/tickets/${ticketId}`, auditor)).body.ticket).toMatchObject({ stage: 'awaiting_handling', awaiting: { step: 'handle' } });
    } finally {
      await second.stop();
    }
  }, 240_000);
});
