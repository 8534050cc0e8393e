import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { startInProcessStack, type InProcessStack } from '../support/in-process-stack';
import { contrastProblems, launchChromium, newPage, screenshot, signIn } from '../support/browser';

// A real browser and a week on the manual clock: generous on a loaded machine.
jest.setTimeout(180_000);

const MARKETPLACE = 'qa';
const SECRET = 'qa-webhook-secret-for-browser-tests';
const ZONE = 'Asia/Shanghai';
const HOUR = 3600;
const AGENTS = ['alice', 'bob'] as const;

/**
 * The manager's quality review queue in Debian's Chromium against its own local stack (the
 * draw needs a week of the manual clock, which the other browser tests' shared stack must
 * not see): alice and bob each close a complaint in one week; the scheduled draw picks both
 * after the week (at least one per agent); the manager scores one in the console, meets the
 * other already reviewed by someone else (the API's 409 shown as text), and finds both done.
 */
describe('quality review queue in the browser', () => {
  let stack: InProcessStack;
  let browser: Browser;
  let configDir: string;
  let weekStart: DateTime;
  const tickets: Record<(typeof AGENTS)[number], string> = { alice: '', bob: '' };

  beforeAll(async () => {
    configDir = mkdtempSync(join(tmpdir(), 'aftercare-quality-console-'));
    const configFile = join(configDir, 'marketplaces.json');
    const hours = ['09:00-18:00'];
    const calendar = { timeZone: ZONE, week: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: hours, sun: hours } };
    writeFileSync(configFile, JSON.stringify({ marketplaces: { [MARKETPLACE]: { webhookSecrets: [SECRET], calendar } } }));
    [stack, browser] = await Promise.all([startInProcessStack({ configFile }), launchChromium()]);

    const advanceTo = async (at: DateTime) => stack.api.advance(Math.round(at.toSeconds() - (await stack.api.nowSeconds())));
    const webhook = async (reference: string, type: string, data: Record<string, unknown> = {}) => {
      const occurredAt = new Date((await stack.api.nowSeconds()) * 1000).toISOString();
      const answer = await stack.api.sendWebhook(MARKETPLACE, SECRET, JSON.stringify({ id: `evt-${reference}-${type}`, type, occurredAt, data: { reference, ...data } }));
      expect(answer.status).toBe(202);
      return answer.body as { ticketId: string };
    };
    weekStart = DateTime.fromSeconds(await stack.api.nowSeconds(), { zone: ZONE }).plus({ weeks: 1 }).startOf('week');
    await advanceTo(weekStart.plus({ hours: 9 }));
    // Each agent answers, handles and resolves their complaint; the customer confirms and answers the survey: closed.
    for (const agent of AGENTS) {
      const reference = `quality-${agent}`;
      const token = (await stack.api.post('/_local/tokens', { role: 'agent', marketplace: MARKETPLACE, subject: agent })).body.token as string;
      tickets[agent] = (await webhook(reference, 'complaint.created', { orderId: `order-${reference}`, customerRef: `cust-${reference}`, channel: 'app', category: 'logistics', subject: 'Late', description: 'The parcel is late.' })).ticketId;
      await stack.api.advance(5 * 60);
      for (const type of ['respond', 'handle', 'resolve']) {
        const answer = await stack.api.post(`/tickets/${tickets[agent]}/actions`, { type, message: `${type} by ${agent}` }, token);
        expect({ type, status: answer.status }).toEqual({ type, status: 200 });
        await stack.api.advance(HOUR);
      }
      await webhook(reference, 'complaint.customer_confirmed');
      await stack.api.advance(HOUR);
      await webhook(reference, 'survey.answered', { csat: 5 });
      await stack.api.advance(60);
    }
    // The week's draw runs in the first quarter hour after it.
    await advanceTo(weekStart.plus({ weeks: 1, minutes: 30 }));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  async function managerPage(locale = 'en-GB'): Promise<Page> {
    const page = await newPage(browser, { locale });
    await signIn(page, stack.stack.url, 'manager', MARKETPLACE);
    await page.getByRole('navigation').getByRole('link', { name: locale.startsWith('zh') ? '质检抽查' : 'Quality reviews' }).click();
    return page;
  }

  it('lets a manager score a drawn complaint, shows a review taken meanwhile as the API\'s 409, and lists both as done', async () => {
    const manager = await stack.api.token('manager', MARKETPLACE);
    const { body: drawn } = await stack.api.get(`/quality/reviews?marketplace=${MARKETPLACE}&status=pending`, manager);
    expect(drawn.period).toEqual({ kind: 'week', start: weekStart.toISODate(), end: weekStart.plus({ weeks: 1 }).toISODate() });
    // One closed complaint each: the draw takes at least one per agent, so both.
    expect(drawn.reviews.map((review: { agent: string; ticketId: string }) => [review.agent, review.ticketId]).sort()).toEqual([
      ['alice', tickets.alice],
      ['bob', tickets.bob],
    ]);
    const reviewOf = (agent: string) => drawn.reviews.find((review: { agent: string }) => review.agent === agent) as { id: string; ticketId: string };

    const page = await managerPage();
    await page.getByRole('heading', { name: 'Quality review queue' }).waitFor();
    const last = weekStart.plus({ days: 6 }).toISODate();
    await page.getByTestId('quality-period').getByText(`Period ${weekStart.toISODate()} to ${last} (${ZONE})`).waitFor();
    const byAgent = page.getByRole('table', { name: 'The draw per agent' });
    await expect(byAgent.locator('tbody tr').allInnerTexts()).resolves.toEqual(['alice\t1\t1', 'bob\t1\t1']);
    await expect(page.getByText(`seed ${drawn.draw.seed as string}`, { exact: false }).count()).resolves.toBe(1);
    const list = page.getByRole('list', { name: 'Drawn complaints' });
    const row = (ticketId: string) => list.locator(`[data-ticket="${ticketId}"]`);
    await expect(list.getByTestId('quality-review').count()).resolves.toBe(2);
    await expect(row(tickets.alice).getByRole('link', { name: tickets.alice }).getAttribute('href')).resolves.toBe(`#/tickets/${tickets.alice}`);
    await expect(row(tickets.alice).locator('.badge').textContent()).resolves.toBe('pending');
    await screenshot(page, 'quality-pending');
    await expect(contrastProblems(page)).resolves.toEqual([]);

    // Another manager reviews bob's complaint meanwhile: saving it here is refused with the API's words.
    const carol = (await stack.api.post('/_local/tokens', { role: 'manager', marketplace: MARKETPLACE, subject: 'carol' })).body.token as string;
    const carolsReview = { courtesy: 5, accuracy: 4, process: 4, comment: 'Quick and kind.' };
    expect((await stack.api.post(`/quality/reviews/${reviewOf('bob').id}`, carolsReview, carol)).status).toBe(200);
    const bobsForm = page.getByRole('form', { name: `Review of ticket ${tickets.bob}` });
    await bobsForm.getByLabel('Courtesy').selectOption('3');
    await bobsForm.getByLabel('Accuracy').selectOption('3');
    await bobsForm.getByLabel('Process').selectOption('3');
    await bobsForm.getByLabel('Comment').fill('Second opinion.');
    await bobsForm.getByRole('button', { name: 'Save review' }).click();
    await expect(bobsForm.getByRole('alert').textContent()).resolves.toBe('Something went wrong: 409 this complaint was reviewed already');
    await screenshot(page, 'quality-conflict');
    await expect(contrastProblems(page)).resolves.toEqual([]);
    await bobsForm.getByRole('button', { name: 'Reload the list' }).click();
    await row(tickets.bob).waitFor({ state: 'detached' });

    // Alice's, scored from the keyboard: every control is a labelled form field.
    const alicesForm = page.getByRole('form', { name: `Review of ticket ${tickets.alice}` });
    await alicesForm.getByLabel('Courtesy').focus();
    await alicesForm.getByLabel('Courtesy').selectOption('4');
    await page.keyboard.press('Tab');
    await expect(alicesForm.getByLabel('Accuracy').evaluate((element) => element === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).resolves.toBe(true);
    await alicesForm.getByLabel('Accuracy').selectOption('5');
    await alicesForm.getByLabel('Process').selectOption('3');
    await alicesForm.getByLabel('Comment').fill('Polite and right; the refund step came late.');
    await alicesForm.getByLabel('Comment').press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: `Review of ${tickets.alice} saved.` }).waitFor();
    await row(tickets.alice).waitFor({ state: 'detached' });
    await page.getByText('No reviews here.').waitFor();

    await page.locator('select[name=status]').selectOption('done');
    await page.getByRole('button', { name: 'Show' }).click();
    await row(tickets.alice).getByTestId('quality-result').waitFor();
    for (const [ticketId, scores, reviewer] of [
      [tickets.alice, ['4', '5', '3'], 'local-manager'],
      [tickets.bob, ['5', '4', '4'], 'carol'],
    ] as const) {
      await expect(row(ticketId).locator('.badge').textContent()).resolves.toBe('done');
      await expect(row(ticketId).locator('dd[data-score]').allTextContents()).resolves.toEqual(scores.map((score) => `${score} / 5`));
      await expect(row(ticketId).getByTestId('quality-reviewer').textContent()).resolves.toMatch(new RegExp(`^Reviewed by ${reviewer}, `));
    }
    await expect(row(tickets.alice).textContent()).resolves.toContain('Polite and right; the refund step came late.');
    await screenshot(page, 'quality-done');
    await expect(contrastProblems(page)).resolves.toEqual([]);

    const { body: done } = await stack.api.get(`/quality/reviews?marketplace=${MARKETPLACE}&status=done`, manager);
    expect(done.reviews.find((review: { ticketId: string }) => review.ticketId === tickets.alice)).toMatchObject({
      status: 'done',
      scores: { courtesy: 4, accuracy: 5, process: 3 },
      comment: 'Polite and right; the refund step came late.',
      reviewedBy: 'local-manager',
    });

    // Each row links to its ticket.
    await row(tickets.alice).getByRole('link', { name: tickets.alice }).click();
    await page.getByRole('heading', { name: `Ticket ${tickets.alice}` }).waitFor();
  });

  it('shows the queue in Chinese, and a period not drawn yet as such', async () => {
    const page = await managerPage('zh-CN');
    await page.getByRole('heading', { name: '质检评分队列' }).waitFor();
    await page.getByRole('table', { name: '按客服统计的抽取' }).waitFor();
    await page.locator('select[name=status]').selectOption('all');
    await page.getByRole('button', { name: '显示' }).click();
    // The list renders once its answer comes: wait for the second review before reading them.
    await page.getByRole('list', { name: '抽中的投诉' }).locator('.badge').nth(1).waitFor();
    await expect(page.getByRole('list', { name: '抽中的投诉' }).locator('.badge').allTextContents()).resolves.toEqual(['已评分', '已评分']);
    await expect(page.getByRole('list', { name: '抽中的投诉' }).locator('dt').first().textContent()).resolves.toBe('服务态度');
    await screenshot(page, 'quality-zh');
    await expect(contrastProblems(page)).resolves.toEqual([]);

    // The week after is still running: nothing drawn for it yet.
    await page.getByRole('button', { name: '下一周期' }).click();
    await page.getByText('该周期尚未抽取：周期结束 15 分钟后抽取。').waitFor();
    const next = weekStart.plus({ weeks: 1 });
    await page.getByTestId('quality-period').getByText(`周期：${next.toISODate()} 至 ${next.plus({ days: 6 }).toISODate()}（${ZONE}）`).waitFor();
  });
});
