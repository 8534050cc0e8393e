import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { complaintCreated, StackClient } from '../support/http-client';
import { startLocalStackProcess, type RunningLocalStack } from '../support/local-stack-process';
import { startNotificationReceiver } from '../support/notification-receiver';

const ACME_SECRET = 'acme-webhook-secret-0001';
const ZONE = 'Asia/Shanghai';
const WORKDAY = ['09:00-12:00', '13:30-18:00'];
/** Monday 18 January 2027 is a holiday, from an iCalendar file next to the configuration. */
const HOLIDAYS_ICS = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//acme//holidays//EN', 'BEGIN:VEVENT', 'UID:h1', 'DTSTART;VALUE=DATE:20270118', 'SUMMARY:Holiday', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');

const shanghai = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toUTC().toISO()!;

/**
 * A Friday-evening complaint on `npm start` with a business calendar: the first response
 * counts in business time (over the weekend and an iCalendar holiday), while initial handling
 * and resolution count in calendar time and breach over the weekend — those notifications go
 * to the duty channel, the first response's on the working Tuesday to the desk's.
 */
describe('business calendar on the local stack', () => {
  let stack: RunningLocalStack;
  let api: StackClient;
  let desk: Awaited<ReturnType<typeof startNotificationReceiver>>;
  let duty: Awaited<ReturnType<typeof startNotificationReceiver>>;

  beforeAll(async () => {
    desk = await startNotificationReceiver();
    duty = await startNotificationReceiver();
    const dir = mkdtempSync(join(tmpdir(), 'aftercare-calendar-'));
    writeFileSync(join(dir, 'holidays.ics'), HOLIDAYS_ICS);
    const acme = {
      webhookSecrets: [ACME_SECRET],
      calendar: { timeZone: ZONE, week: { mon: WORKDAY, tue: WORKDAY, wed: WORKDAY, thu: WORKDAY, fri: WORKDAY }, ics: 'holidays.ics' },
      onCall: {
        channels: [
          { name: 'desk', type: 'webhook', url: desk.url, when: 'business' },
          { name: 'duty', type: 'webhook', url: duty.url, when: 'off-hours' },
        ],
      },
    };
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ marketplaces: { acme } }));
    stack = await startLocalStackProcess(['--port', '0', '--in-memory', '--clock', 'manual', '--config', join(dir, 'config.json')]);
    api = new StackClient(stack.url);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await desk?.close();
    await duty?.close();
  });

  const setClock = async (at: string) => {
    const answer = await api.post('/_local/clock/set', { at });
    expect(answer.status).toBe(200);
    return answer.body.now as string;
  };
  const received = (receiver: typeof desk) => receiver.received.map(({ body }) => `${body.type} ${body.metric} at ${body.at}`);

  it('counts the first response in business time, records the calendar, and sends the weekend breaches to the duty channel', async () => {
    expect(await setClock('2027-01-15T17:55:00+08:00')).toBe(shanghai('2027-01-15T17:55'));
    const accepted = await api.sendWebhook('acme', ACME_SECRET, JSON.stringify(complaintCreated('friday-evening')));
    expect(accepted.status).toBe(202);
    const ticketId = accepted.body.ticketId as string;
    await api.advance(0);

    const agent = await api.token('agent', 'acme');
    const { body } = await api.get(`/tickets/${ticketId}`, agent);
    // Friday 17:55 + 15 working minutes: 5 on Friday, Monday is a holiday, 10 on Tuesday.
    expect(body.ticket.deadlines).toEqual({
      firstResponse: { dueAt: shanghai('2027-01-19T09:10'), clock: 'business' },
      initialHandling: { dueAt: shanghai('2027-01-16T17:55'), clock: 'calendar' },
      resolution: { dueAt: shanghai('2027-01-17T17:55'), clock: 'calendar' },
    });
    expect(body.ticket.calendar).toEqual({ timeZone: ZONE, week: { mon: WORKDAY, tue: WORKDAY, wed: WORKDAY, thu: WORKDAY, fri: WORKDAY }, holidays: ['2027-01-18'], extraWorkdays: [], extraWorkdayHours: 'mon' });

    await setClock('2027-01-19T10:00:00+08:00');

    // The two breaches that raised the tier also tell the new tier (ticket.escalated), at the same moment; arrival order between them is free.
    expect(received(duty).sort()).toEqual(
      [
        `sla.warning initialHandling at ${shanghai('2027-01-16T13:07')}`,
        `sla.breached initialHandling at ${shanghai('2027-01-16T17:55')}`,
        `ticket.escalated initialHandling at ${shanghai('2027-01-16T17:55')}`,
        `sla.warning resolution at ${shanghai('2027-01-17T08:19')}`,
        `sla.breached resolution at ${shanghai('2027-01-17T17:55')}`,
        `ticket.escalated resolution at ${shanghai('2027-01-17T17:55')}`,
      ].sort(),
    );
    // 80 % of the 15 working minutes is 12: 5 on Friday and 7 on Tuesday.
    expect(received(desk)).toEqual([`sla.warning firstResponse at ${shanghai('2027-01-19T09:07')}`, `sla.breached firstResponse at ${shanghai('2027-01-19T09:10')}`]);
  });

  it('will not move the clock back', async () => {
    const answer = await api.post('/_local/clock/set', { at: '2027-01-15T00:00:00Z' });
    expect(answer.status).toBe(409);
  });
});
