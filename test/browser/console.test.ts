import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { CSV_COLUMNS } from '@shared/audit/export-format';
import { complaintCreated } from '../support/http-client';
import { startInProcessStack, type InProcessStack } from '../support/in-process-stack';
import { launchChromium, newPage, screenshot, signIn } from '../support/browser';

/**
 * The ops console in Debian's Chromium against the local stack on the manual clock: the
 * pages are the built console as `npm start` serves it, every call goes to the real API.
 */
// Each test drives a real browser through several round trips to the stack: generous on a loaded machine.
jest.setTimeout(180_000);

describe('ops console in the browser', () => {
  let stack: InProcessStack;
  let browser: Browser;
  let baseUrl: string;
  const pages: Page[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startInProcessStack(), launchChromium()]);
    baseUrl = stack.stack.url;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function page(locale = 'en-GB'): Promise<Page> {
    const opened = await newPage(browser, { locale });
    pages.push(opened);
    return opened;
  }

  /** A new complaint on the demo marketplace, applied; its ticket id. */
  async function openComplaint(reference: string): Promise<string> {
    const now = new Date((await stack.api.nowSeconds()) * 1000).toISOString();
    const answer = await stack.api.sendWebhook('demo', stack.secret, JSON.stringify(complaintCreated(reference, now)));
    expect(answer.status).toBe(202);
    await stack.api.advance(0);
    return answer.body.ticketId as string;
  }

  async function openTicket(browserPage: Page, ticketId: string) {
    await browserPage.locator('input[name=ticketId]').fill(ticketId);
    await browserPage.locator('input[name=ticketId]').press('Enter');
    await browserPage.getByRole('heading', { name: `Ticket ${ticketId}` }).waitFor();
  }

  it('redirects / to the console, whose labels follow the browser (Chinese) and switch to English', async () => {
    const zh = await page('zh-CN');
    await zh.goto(`${baseUrl}/`);
    expect(new URL(zh.url()).pathname).toBe('/console/');
    await expect(zh.getByRole('heading', { level: 2 }).textContent()).resolves.toBe('登录控制台');
    await expect(zh.locator('form button[type=submit]').textContent()).resolves.toBe('登录');
    await expect(zh.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');
    await screenshot(zh, 'sign-in-zh');

    await zh.locator('select[name=language]').selectOption('en');
    await expect(zh.getByRole('heading', { level: 2 }).textContent()).resolves.toBe('Sign in to the console');
    // The choice is kept for the next visit.
    await zh.reload();
    await expect(zh.getByRole('heading', { level: 2 }).textContent()).resolves.toBe('Sign in to the console');
  });

  it('shows an agent a 409 as what changed with a reload, then lets them handle and resolve the complaint', async () => {
    const ticketId = await openComplaint('console-agent');
    const agent = await page();
    await signIn(agent, baseUrl, 'agent');
    await openTicket(agent, ticketId);
    await expect(agent.getByTestId('ticket-stage').textContent()).resolves.toBe('awaiting first response');

    // Someone else takes the ticket and responds meanwhile: the page still offers the response.
    const token = await stack.api.token('agent');
    expect((await stack.api.post(`/tickets/${ticketId}/actions`, { type: 'assign', assignee: 'bob' }, token)).status).toBe(200);
    expect((await stack.api.post(`/tickets/${ticketId}/actions`, { type: 'respond', message: 'On it. Bob' }, token)).status).toBe(200);
    await stack.api.advance(0);
    await agent.locator('select[name=action]').selectOption('respond');
    await agent.locator('textarea[name=message]').fill('Sorry about the parcel, we are on it.');
    await agent.locator('form[aria-label=Actions] button[type=submit]').click();
    const conflict = agent.getByRole('alert');
    await expect(conflict.locator('strong').textContent()).resolves.toBe('The ticket changed while you were working');
    const changes = await conflict.getByRole('list', { name: 'Changes' }).locator('li').allTextContents();
    expect(changes.slice(0, 2)).toEqual(['Stage: awaiting first response → awaiting handling', 'Assignee: agents → bob']);
    expect(changes[2]).toMatch(/^Version: 2 → \d+$/);
    await expect(conflict.textContent()).resolves.toContain('It is now at stage “awaiting handling”.');
    await screenshot(agent, 'ticket-conflict');
    await conflict.getByRole('button', { name: 'Reload the ticket' }).click();

    await agent.getByTestId('ticket-stage').filter({ hasText: 'awaiting handling' }).waitFor();
    for (const [action, stage] of [
      ['handle', 'awaiting resolution'],
      ['resolve', 'resolved'],
    ] as const) {
      await agent.locator('select[name=action]').selectOption(action);
      await agent.locator('textarea[name=message]').fill(`${action}: done for the customer`);
      await agent.locator('form[aria-label=Actions] button[type=submit]').click();
      await agent
        .getByTestId('ticket-stage')
        .filter({ hasText: stage })
        .waitFor()
        .catch(async (error: unknown) => {
          await screenshot(agent, `ticket-${action}-failed`);
          throw error;
        });
      await stack.api.advance(0); // the workflow plans its next step before the agent goes on
    }
    await agent.getByRole('status').filter({ hasText: 'Done: Resolve.' }).waitFor();
    await screenshot(agent, 'ticket-resolved');
    const { body } = await stack.api.get(`/tickets/${ticketId}`, token);
    expect(body.ticket.stage).toBe('resolved');
    expect(body.allowedActions).toEqual(['escalate', 'assign', 'note']);
    expect(Object.keys(body.ticket.deadlines).sort()).toEqual(['firstResponse', 'initialHandling', 'resolution']);
  });

  it('shows a manager the warning, then the breach, as the clock advances', async () => {
    const ticketId = await openComplaint('console-manager');
    const manager = await page();
    await signIn(manager, baseUrl, 'manager');
    await manager.getByRole('link', { name: 'On-call notifications' }).click();
    await manager.getByText('No notifications.').waitFor();

    await stack.api.advance(12 * 60); // 80 % of the 15-minute first response: the warning
    await manager.getByRole('button', { name: 'Refresh' }).click();
    const rows = manager.getByTestId('notification').filter({ hasText: ticketId });
    await rows.filter({ hasText: 'warning' }).waitFor();

    await stack.api.advance(3 * 60); // the deadline passes: the breach
    await manager.getByRole('button', { name: 'Refresh' }).click();
    await rows.filter({ hasText: 'breach' }).waitFor();
    await expect(rows.count()).resolves.toBe(2);
    await expect(rows.first().locator('td').last().textContent()).resolves.toContain('no channel');
    await screenshot(manager, 'notifications');

    await rows.first().getByRole('link', { name: ticketId }).click();
    await manager.getByRole('heading', { name: `Ticket ${ticketId}` }).waitFor();
    const timeline = manager.getByRole('list', { name: 'Deadlines' });
    await expect(timeline.locator('li.bad').textContent()).resolves.toContain('first response');
    await screenshot(manager, 'ticket-breached');
  });

  it('shows an auditor the chain as intact and downloads the range as CSV', async () => {
    const ticketId = await openComplaint('console-auditor');
    const auditor = await page();
    await signIn(auditor, baseUrl, 'auditor');
    await auditor.locator('input[name=ticketId]').fill(ticketId);
    await auditor.locator('input[name=ticketId]').press('Enter');
    const verdict = auditor.getByTestId('chain-verdict');
    await verdict.waitFor();
    const { body: audit } = await stack.api.get(`/audit/tickets/${ticketId}`, await stack.api.token('auditor'));
    await expect(verdict.textContent()).resolves.toBe(`✓ Chain intact — events verified: ${audit.events.length as number}.`);
    await screenshot(auditor, 'audit-timeline');

    await auditor.getByRole('link', { name: 'Audit events' }).click();
    await auditor.getByRole('button', { name: 'Search' }).click();
    await auditor.getByRole('link', { name: ticketId }).first().waitFor();
    const [download] = await Promise.all([auditor.waitForEvent('download'), auditor.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^audit-demo-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
    expect(csv[0]).toBe(CSV_COLUMNS.join(','));
    expect(csv.filter((line) => line.includes(ticketId))).toHaveLength(audit.events.length);
    await screenshot(auditor, 'audit-range');

    // The download is itself on the marketplace's own chain, which verifies.
    await auditor.getByRole('link', { name: 'Marketplace chain' }).click();
    const chainVerdict = auditor.getByTestId('chain-verdict');
    await chainVerdict.waitFor();
    await expect(chainVerdict.textContent()).resolves.toBe('✓ Chain intact — events verified: 1.');
    await auditor.getByText('audit.exported').first().waitFor();
    await screenshot(auditor, 'marketplace-chain');
  });
});
