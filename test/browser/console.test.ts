import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CSV_COLUMNS } from '@shared/audit/export-format';
import { clock } from '@shared/clock';
import { ticketIdFor } from '@shared/tickets/ticket';
import { complaintCreated } from '../support/http-client';
import { startInProcessStack, type InProcessStack } from '../support/in-process-stack';
import { contrastProblems, launchChromium, newPage, screenshot, signIn } from '../support/browser';
import { seedAssignedComplaints } from './seed-queue';

/**
 * The ops console in Debian's Chromium against the local stack on the manual clock: the
 * pages are the built console as `npm start` serves it, every call goes to the real API.
 * One stack and one browser serve every test (each test opens its own browser context), so
 * the tests share the clock: each works on its own tickets and reads expected figures from
 * the API rather than assuming a fresh stack.
 */
// Each test drives a real browser through several round trips to the stack: generous on a loaded machine.
jest.setTimeout(180_000);

/** A second marketplace for the long queue, so its 500 tickets stay out of the other tests' boards. */
const BULK = 'bulk';

describe('ops console in the browser', () => {
  let stack: InProcessStack;
  let browser: Browser;
  let baseUrl: string;
  let configDir: string;

  beforeAll(async () => {
    configDir = mkdtempSync(join(tmpdir(), 'aftercare-console-'));
    const configFile = join(configDir, 'marketplaces.json');
    writeFileSync(configFile, JSON.stringify({ marketplaces: { [BULK]: { webhookSecrets: ['bulk-webhook-secret-for-tests'] } } }));
    [stack, browser] = await Promise.all([startInProcessStack({ configFile }), launchChromium()]);
    baseUrl = stack.stack.url;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  async function page(locale = 'en-GB'): Promise<Page> {
    return newPage(browser, { locale });
  }

  // The stack runs in this process: `clock` is its manual clock.

  /** A new complaint on the demo marketplace, applied; its ticket id. */
  async function openComplaint(reference: string): Promise<string> {
    const now = new Date((await stack.api.nowSeconds()) * 1000).toISOString();
    const answer = await stack.api.sendWebhook('demo', stack.secret, JSON.stringify(complaintCreated(reference, now)));
    expect(answer.status).toBe(202);
    await stack.api.advance(0);
    return answer.body.ticketId as string;
  }

  async function openTicket(browserPage: Page, ticketId: string) {
    await browserPage.getByRole('link', { name: 'Find a ticket' }).click();
    await browserPage.locator('input[name=ticketId]').fill(ticketId);
    await browserPage.locator('input[name=ticketId]').press('Enter');
    await browserPage.getByRole('heading', { name: `Ticket ${ticketId}` }).waitFor();
  }

  /** Takes `action` on the open ticket page with `message`, and waits for the stage it leads to. */
  async function act(browserPage: Page, action: string, message: string, stage: string) {
    await browserPage.locator('select[name=action]').selectOption(action);
    await browserPage.locator('textarea[name=message]').fill(message);
    await browserPage.locator('form[aria-label=Actions] button[type=submit]').click();
    await browserPage
      .getByTestId('ticket-stage')
      .filter({ hasText: new RegExp(`^${stage}$`) })
      .waitFor()
      .catch(async (error: unknown) => {
        await screenshot(browserPage, `ticket-${action}-failed`);
        throw error;
      });
    await stack.api.advance(0); // the workflow plans its next step before the agent goes on
  }

  let bulk: Promise<string[]> | undefined;
  /** The long queue: 500 tickets assigned to the local agent on the bulk marketplace, seeded once for the tests that read it. */
  function bulkQueue(): Promise<string[]> {
    bulk ??= seedAssignedComplaints(stack, { marketplace: BULK, assignee: 'local-agent', count: 500 });
    return bulk;
  }

  /** "12 min 30 s left", as the console words the time from the stack's now to `dueMs`. */
  function left(dueMs: number): string {
    const seconds = Math.round((dueMs - clock.nowMs()) / 1000);
    const minutes = Math.floor(seconds / 60);
    return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min left` : `${minutes} min ${seconds % 60} s left`;
  }

  it('redirects / to the console, whose labels follow the browser (Chinese) and switch to English', async () => {
    const zh = await page('zh-CN');
    await zh.goto(`${baseUrl}/`);
    expect(new URL(zh.url()).pathname).toBe('/console/');
    await expect(zh.getByRole('heading', { level: 2 }).textContent()).resolves.toBe('登录控制台');
    await expect(zh.locator('form button[type=submit]').textContent()).resolves.toBe('登录');
    await expect(zh.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');
    await screenshot(zh, 'sign-in-zh');
    await expect(contrastProblems(zh)).resolves.toEqual([]);

    await zh.locator('select[name=language]').selectOption('en');
    await expect(zh.getByRole('heading', { level: 2 }).textContent()).resolves.toBe('Sign in to the console');
    // The choice is kept for the next visit.
    await zh.reload();
    await expect(zh.getByRole('heading', { level: 2 }).textContent()).resolves.toBe('Sign in to the console');
  });

  it('lets an agent take a ticket from the queue, whose countdown runs on the stack clock, then reply, note and resolve it', async () => {
    const ticketId = await openComplaint('console-take');
    const token = await stack.api.token('agent');
    const due = Date.parse((await stack.api.get(`/tickets/${ticketId}`, token)).body.ticket.deadlines.firstResponse.dueAt as string);

    const agent = await page();
    await signIn(agent, baseUrl, 'agent');
    // An agent's console opens on their queues: their own tickets, then the pool of their tier.
    await agent.getByRole('heading', { name: 'My queue' }).waitFor();
    const pool = agent.getByRole('list', { name: 'Unassigned at tier 0 and above' });
    const row = pool.locator(`[data-ticket="${ticketId}"]`);
    await row.getByTestId('countdown').filter({ hasText: left(due) }).waitFor();
    await expect(row.textContent()).resolves.toContain('awaiting first response');
    await stack.api.advance(90); // the countdown follows the manual clock
    await row.getByTestId('countdown').filter({ hasText: left(due) }).waitFor();
    await screenshot(agent, 'agent-queue');
    await expect(contrastProblems(agent)).resolves.toEqual([]);

    await row.getByRole('button', { name: 'Take ticket console-take' }).click();
    await agent.getByRole('heading', { name: `Ticket ${ticketId}` }).waitFor();
    await expect(agent.getByTestId('ticket-assignee').textContent()).resolves.toBe('local-agent');
    const conversation = agent.getByRole('list', { name: 'Conversation' });
    await conversation.getByText('The box was crushed and the item is broken.').waitFor();

    await act(agent, 'respond', 'Sorry about the parcel: a replacement is on its way.', 'awaiting handling');
    await conversation.locator('[data-kind=reply]').filter({ hasText: 'Sorry about the parcel: a replacement is on its way.' }).waitFor();
    await act(agent, 'note', 'Courier confirmed the damage; claim filed.', 'awaiting handling');
    const notes = agent.getByRole('list', { name: 'Internal notes' });
    await notes.getByText('Courier confirmed the damage; claim filed.').waitFor();
    // Notes stay apart from what the customer reads.
    await expect(conversation.getByText('Courier confirmed the damage; claim filed.').count()).resolves.toBe(0);
    await expect(conversation.getByTestId('message').count()).resolves.toBe(2);
    await act(agent, 'handle', 'Replacement shipped.', 'awaiting resolution');
    await act(agent, 'resolve', 'The replacement arrived.', 'resolved');
    await screenshot(agent, 'agent-ticket-resolved');
    await expect(contrastProblems(agent)).resolves.toEqual([]);

    const { body } = await stack.api.get(`/tickets/${ticketId}`, token);
    expect(body.ticket.stage).toBe('resolved');
    expect(body.ticket.assignee).toBe('local-agent');
    const { body: messages } = await stack.api.get(`/tickets/${ticketId}/messages`, token);
    expect(messages.messages.map((message: { kind: string }) => message.kind)).toEqual(['complaint', 'reply', 'note', 'reply', 'reply']);
  });

  it('shows an agent a 409 as what changed with a reload', async () => {
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
    expect(changes.slice(0, 2)).toEqual(['Stage: awaiting first response → awaiting handling', 'Assignee: none → bob']);
    expect(changes[2]).toMatch(/^Version: 2 → \d+$/);
    await expect(conflict.textContent()).resolves.toContain('It is now at stage “awaiting handling”.');
    await screenshot(agent, 'ticket-conflict');
    await expect(contrastProblems(agent)).resolves.toEqual([]);
    await conflict.getByRole('button', { name: 'Reload the ticket' }).click();
    await agent.getByTestId('ticket-stage').filter({ hasText: 'awaiting handling' }).waitFor();
    // Bob's reply is in the conversation the reload shows.
    await agent.getByRole('list', { name: 'Conversation' }).getByText('On it. Bob').waitFor();
  });

  it('shows a manager a ticket turn at risk, then breached, on the board as the clock advances, and lets them acknowledge the notification', async () => {
    const ticketId = await openComplaint('console-manager');
    const token = await stack.api.token('manager');
    const manager = await page();
    await signIn(manager, baseUrl, 'manager');
    // A manager's console opens on the board; due within the hour, the new complaint is at risk already, unwarned.
    await manager.getByRole('heading', { name: 'Board' }).waitFor();
    const atRiskRow = manager.getByRole('list', { name: 'At-risk tickets' }).locator(`[data-ticket="${ticketId}"]`);
    await atRiskRow.waitFor();
    await expect(atRiskRow.locator('.badge').count()).resolves.toBe(0);

    await stack.api.advance(12 * 60); // 80 % of the 15-minute first response: the warning
    await atRiskRow.locator('.badge.warn').filter({ hasText: 'warning' }).waitFor();
    await atRiskRow.getByTestId('countdown').filter({ hasText: '3 min 0 s left' }).waitFor();
    await screenshot(manager, 'board-at-risk');
    await expect(contrastProblems(manager)).resolves.toEqual([]);

    await stack.api.advance(3 * 60); // the deadline passes: the breach
    const breachedRow = manager.getByRole('list', { name: 'Tickets with a breach' }).locator(`[data-ticket="${ticketId}"]`);
    await breachedRow.locator('.badge.bad').filter({ hasText: 'breached' }).waitFor();
    // The board's counts are the API's, refreshed in place (no page reload: the page's own marker survives).
    await manager.evaluate(() => ((globalThis as unknown as { marker: string }).marker = 'same page'));
    const { body: summary } = await stack.api.get('/tickets/summary?marketplace=demo', token);
    for (const [card, count] of [
      ['board-open', summary.open],
      ['board-atRisk', summary.atRisk.total],
      ['board-breached', summary.breached.total],
      ['board-unassigned', summary.unassigned.total],
    ] as const) {
      await manager.getByTestId(card).locator('dd').filter({ hasText: new RegExp(`^${count as number}$`) }).waitFor();
    }
    expect(summary.breached.total).toBeGreaterThanOrEqual(1);
    await stack.api.advance(60);
    await manager.getByTestId('board-as-of').filter({ hasText: new Date((await stack.api.nowSeconds()) * 1000).toLocaleTimeString('en-GB') }).waitFor();
    await expect(manager.evaluate(() => (globalThis as unknown as { marker?: string }).marker)).resolves.toBe('same page');
    await screenshot(manager, 'board-breached');
    await expect(contrastProblems(manager)).resolves.toEqual([]);

    await manager.getByRole('link', { name: 'On-call notifications' }).click();
    const rows = manager.getByTestId('notification').filter({ hasText: ticketId });
    await rows.filter({ hasText: 'breach' }).waitFor();
    await expect(rows.count()).resolves.toBe(2);
    await rows.filter({ hasText: 'breach' }).getByRole('button', { name: `Acknowledge the breach of ticket ${ticketId}` }).click();
    await rows.filter({ hasText: 'breach' }).getByTestId('acknowledged').filter({ hasText: 'Acknowledged by manager:local-manager' }).waitFor();
    // The warning is still open to acknowledge.
    await expect(rows.filter({ hasText: 'warning' }).getByRole('button', { name: `Acknowledge the warning of ticket ${ticketId}` }).isEnabled()).resolves.toBe(true);
    await screenshot(manager, 'notifications-acknowledged');
    await expect(contrastProblems(manager)).resolves.toEqual([]);

    const { body: notifications } = await stack.api.get('/notifications?marketplace=demo', token);
    const mine = notifications.notifications.filter((notification: { ticketId: string }) => notification.ticketId === ticketId);
    expect(mine.map((notification: { kind: string; acknowledged: { by: { id: string } } | null }) => [notification.kind, notification.acknowledged?.by.id ?? null])).toEqual([
      ['breach', 'local-manager'],
      ['warning', null],
    ]);
  });

  it('lists a return waiting on the merchant with its limit, and drops it once the merchant approves', async () => {
    const nowMs = (await stack.api.nowSeconds()) * 1000;
    const event = {
      id: 'evt-console-return',
      type: 'return.requested',
      occurredAt: new Date(nowMs).toISOString(),
      data: {
        reference: 'console-return',
        orderId: 'order-console-return',
        customerRef: 'cust-console-return',
        requestType: 'return_refund',
        reason: 'does not fit',
        deliveredAt: new Date(nowMs - 86_400_000).toISOString(),
        productCategory: 'apparel',
        amount: 199,
        currency: 'CNY',
      },
    };
    const answer = await stack.api.sendWebhook('demo', stack.secret, JSON.stringify(event));
    expect(answer.status).toBe(202);
    await stack.api.advance(0);
    const ticketId = answer.body.ticketId as string;

    const merchant = await page();
    await signIn(merchant, baseUrl, 'merchant');
    await merchant.getByRole('heading', { name: 'Returns waiting on me' }).waitFor();
    const row = merchant.getByRole('list', { name: 'Returns waiting on me' }).locator(`[data-ticket="${ticketId}"]`);
    await row.filter({ hasText: 'merchant decision' }).getByTestId('countdown').filter({ hasText: '2 d 0 h left' }).waitFor();
    await screenshot(merchant, 'merchant-returns');
    await expect(contrastProblems(merchant)).resolves.toEqual([]);

    await row.getByRole('link', { name: 'console-return' }).click();
    await merchant.getByRole('heading', { name: `Ticket ${ticketId}` }).waitFor();
    await merchant.locator('select[name=action]').selectOption('approve');
    await merchant.locator('form[aria-label=Actions] button[type=submit]').click();
    await merchant.getByTestId('ticket-stage').filter({ hasText: 'awaiting the buyer’s shipment' }).waitFor();
    await stack.api.advance(0);

    await merchant.getByRole('link', { name: 'Returns waiting on me' }).click();
    await merchant.getByRole('list', { name: 'Returns waiting on me' }).or(merchant.getByText('No tickets here.')).first().waitFor();
    await expect(merchant.locator(`[data-ticket="${ticketId}"]`).count()).resolves.toBe(0);
  });

  it('shows an auditor the chain as intact and downloads the range as CSV', async () => {
    const ticketId = await openComplaint('console-auditor');
    const auditor = await page();
    await signIn(auditor, baseUrl, 'auditor');
    await auditor.getByRole('link', { name: 'Ticket timeline' }).click();
    await auditor.locator('input[name=ticketId]').fill(ticketId);
    await auditor.locator('input[name=ticketId]').press('Enter');
    const verdict = auditor.getByTestId('chain-verdict');
    await verdict.waitFor();
    const { body: audit } = await stack.api.get(`/audit/tickets/${ticketId}`, await stack.api.token('auditor'));
    await expect(verdict.textContent()).resolves.toBe(`✓ Chain intact — events verified: ${audit.events.length as number}.`);
    await screenshot(auditor, 'audit-timeline');
    await expect(contrastProblems(auditor)).resolves.toEqual([]);

    await auditor.getByRole('link', { name: 'Audit events' }).click();
    await auditor.getByRole('button', { name: 'Search' }).click();
    await auditor.getByRole('link', { name: ticketId }).first().waitFor();
    const [download] = await Promise.all([auditor.waitForEvent('download'), auditor.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^audit-demo-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
    expect(csv[0]).toBe(CSV_COLUMNS.join(','));
    expect(csv.filter((line) => line.includes(ticketId))).toHaveLength(audit.events.length);
    await screenshot(auditor, 'audit-range');
    await expect(contrastProblems(auditor)).resolves.toEqual([]);

    // The download is itself on the marketplace's own chain, which verifies.
    await auditor.getByRole('link', { name: 'Marketplace chain' }).click();
    const chainVerdict = auditor.getByTestId('chain-verdict');
    await chainVerdict.waitFor();
    await expect(chainVerdict.textContent()).resolves.toBe('✓ Chain intact — events verified: 1.');
    await auditor.getByText('audit.exported').first().waitFor();
    await screenshot(auditor, 'marketplace-chain');
    await expect(contrastProblems(auditor)).resolves.toEqual([]);
  });

  it('switches a signed-in manager to Chinese: navigation, board and KPI charts in Chinese', async () => {
    const manager = await page();
    await signIn(manager, baseUrl, 'manager');
    await manager.getByRole('heading', { name: 'Board' }).waitFor();
    // The KPI view in English first: its text must be readable in both languages.
    await manager.getByRole('link', { name: 'KPIs' }).click();
    await manager.locator('figcaption').nth(2).waitFor();
    await manager.getByRole('table', { name: 'Figures per period' }).waitFor();
    await expect(contrastProblems(manager)).resolves.toEqual([]);
    await manager.getByRole('link', { name: 'Board' }).click();
    await manager.getByRole('heading', { name: 'Board' }).waitFor();
    await manager.locator('select[name=language]').selectOption('zh');
    const nav = manager.getByRole('navigation');
    await expect(nav.getByRole('link').allTextContents()).resolves.toEqual(['看板', '已升级工单', '查找工单', '值班通知', '指标', '质检抽查']);
    await manager.getByRole('heading', { name: '看板', level: 2 }).waitFor();
    await manager.getByRole('table', { name: '按阶段和层级统计的未关闭工单' }).waitFor();
    await manager.getByRole('list', { name: '有超时风险的工单' }).or(manager.getByText('这里没有工单。').first()).first().waitFor();
    await screenshot(manager, 'board-zh');
    await expect(contrastProblems(manager)).resolves.toEqual([]);

    await nav.getByRole('link', { name: '指标' }).click();
    await manager.getByRole('heading', { name: '分期指标' }).waitFor();
    // The charts come with the report and their own chunk, after the heading.
    await manager.locator('figcaption').nth(2).waitFor();
    await expect(manager.locator('figcaption').allTextContents()).resolves.toEqual(['首次响应及时率', '解决率', '满意度（满意占比）']);
    const figures = manager.getByRole('table', { name: '各期数据' });
    await expect(figures.locator('thead th').allTextContents()).resolves.toEqual(['周期', '新建', '首次响应及时率', '解决率', '满意度（满意占比）', '满意度分档']);
    // The table holds the report's figures: this month's complaints opened, as the API counts them.
    const { body: report } = await stack.api.get('/reports/kpis?marketplace=demo&period=month', await stack.api.token('manager'));
    const current = report.rows.at(-1) as { period: string; volume: { opened: number } };
    // Four complaints were opened by the tests before this one (the return counts apart).
    expect(current.volume.opened).toBe(4);
    await expect(figures.locator(`tr[data-period="${current.period}"] td`).first().textContent()).resolves.toBe(String(current.volume.opened));
    await expect(manager.getByTestId('chart-csat').getAttribute('aria-label')).resolves.toBe('满意度（满意占比） — 分档：≥ 80% 优秀，70–80% 良好，低于 70% 需改进。');
    await screenshot(manager, 'kpis-zh');
    await expect(contrastProblems(manager)).resolves.toEqual([]);
  });

  it('renders a queue of 500 tickets as a virtual list that scrolls to the last one', async () => {
    const seeded = await bulkQueue();
    const agent = await page();
    await signIn(agent, baseUrl, 'agent', BULK);
    const queue = agent.getByRole('list', { name: 'My queue' });
    await agent.getByText('Tickets: 500, soonest due first.').waitFor();
    await queue.getByRole('link', { name: seeded[0]! }).waitFor();
    // Only a window of the 500 rows is in the page.
    const rendered = await queue.getByRole('listitem').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(40);
    await expect(queue.getByRole('listitem').first().getAttribute('aria-setsize')).resolves.toBe('500');
    await screenshot(agent, 'queue-500-top');

    // Scrolled to its end, the list shows the last ticket and no longer holds the first.
    await queue.evaluate((list) => list.scrollTo({ top: list.scrollHeight }));
    const last = queue.getByRole('link', { name: seeded.at(-1)! });
    await last.waitFor();
    await expect(last.isVisible()).resolves.toBe(true);
    await expect(queue.getByRole('link', { name: seeded[0]! }).count()).resolves.toBe(0);
    expect(await queue.getByRole('listitem').count()).toBeLessThan(40);
    await expect(queue.getByRole('listitem').last().getAttribute('aria-posinset')).resolves.toBe('500');
    await screenshot(agent, 'queue-500-bottom');
  });

  it('lets the keyboard alone reach the 500-ticket queue, move through it and open the last ticket', async () => {
    const references = await bulkQueue();
    const agent = await page();
    await signIn(agent, baseUrl, 'agent', BULK);
    const queue = agent.getByRole('list', { name: 'My queue' });
    await queue.getByRole('link', { name: references[0]! }).waitFor();
    const focused = () =>
      agent.evaluate(() => {
        const element = (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null; textContent: string | null } | null } }).document.activeElement;
        return { label: element?.getAttribute('aria-label') ?? null, text: element?.textContent ?? null };
      });

    // Tab, from the top of the page, reaches the list itself.
    let presses = 0;
    while ((await focused()).label !== 'My queue') {
      await agent.keyboard.press('Tab');
      presses += 1;
      expect(presses).toBeLessThan(30);
    }
    await expect(queue.getAttribute('aria-describedby').then((id) => agent.locator(`[id="${id!}"]`).textContent())).resolves.toBe(
      'Arrow keys, Page Up, Page Down, Home and End move between tickets; Enter opens one.',
    );

    /** The focused element is the link of the ticket at `index`, shown inside the list's box. */
    const expectFocusOn = async (index: number) => {
      const link = queue.getByRole('link', { name: references[index]!, exact: true });
      await expect(link.evaluate((element) => element === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).resolves.toBe(true);
      const [box, row] = [await queue.boundingBox(), await link.boundingBox()];
      expect(row!.y).toBeGreaterThanOrEqual(box!.y);
      expect(row!.y + row!.height).toBeLessThanOrEqual(box!.y + box!.height);
    };
    await agent.keyboard.press('ArrowDown');
    await expectFocusOn(0);
    await agent.keyboard.press('ArrowDown');
    await expectFocusOn(1);
    // A page is the rows that fit in the list's 480 px box (56 px each: 8), less one kept in view.
    await agent.keyboard.press('PageDown');
    await expectFocusOn(8);
    await agent.keyboard.press('PageUp');
    await expectFocusOn(1);
    await agent.keyboard.press('End');
    await expectFocusOn(499);
    await expect(queue.getByRole('link', { name: references[0]!, exact: true }).count()).resolves.toBe(0);
    await agent.keyboard.press('Home');
    await expectFocusOn(0);
    await agent.keyboard.press('End');
    await expectFocusOn(499);
    await screenshot(agent, 'queue-500-keyboard-end');

    await agent.keyboard.press('Enter');
    await agent.getByRole('heading', { name: `Ticket ${ticketIdFor(BULK, references[499]!)}` }).waitFor();
  });
});
