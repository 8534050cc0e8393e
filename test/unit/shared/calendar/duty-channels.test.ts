import { parseRegistry } from '@shared/config/marketplaces';
import { channelsFor, onCallConfigSchema } from '@shared/notifications/channels';

describe('on-call channels by working hours', () => {
  const onCall = onCallConfigSchema.parse({
    channels: [
      { name: 'desk', type: 'slack', url: 'https://hooks.slack.example/desk', when: 'business' },
      { name: 'duty', type: 'webhook', url: 'https://duty.example/hook', when: 'off-hours' },
      { name: 'managers', type: 'slack', url: 'https://hooks.slack.example/managers', minTier: 2 },
    ],
  });
  const names = (inWorkingHours: boolean, escalationTier = 0) =>
    channelsFor({ kind: 'breach', escalationTier }, onCall, undefined, inWorkingHours).map((channel) => channel.name);

  it('sends to the business channels in working hours and to the duty channels outside them; `always` (the default) to both', () => {
    expect(names(true)).toEqual(['desk']);
    expect(names(false)).toEqual(['duty']);
    expect(names(true, 2)).toEqual(['desk', 'managers']);
    expect(names(false, 2)).toEqual(['duty', 'managers']);
  });

  it('counts as working hours when nothing says otherwise (a marketplace without a calendar)', () => {
    expect(channelsFor({ kind: 'breach', escalationTier: 0 }, onCall, undefined).map((channel) => channel.name)).toEqual(['desk']);
  });

  it('refuses an unknown `when`, naming the field', () => {
    const registry = JSON.stringify({
      marketplaces: { acme: { webhookSecrets: ['0123456789abcdef'], onCall: { channels: [{ name: 'x', type: 'slack', url: 'https://x.example', when: 'nights' }] } } },
    });
    expect(() => parseRegistry(registry, 'test registry')).toThrow('marketplaces.acme.onCall.channels.0.when');
  });
});

describe('a marketplace calendar in the registry', () => {
  const registry = (calendar: unknown) => JSON.stringify({ marketplaces: { acme: { webhookSecrets: ['0123456789abcdef'], calendar } } });

  it('is accepted and kept with its defaults', () => {
    const parsed = parseRegistry(registry({ timeZone: 'Asia/Shanghai', week: { mon: ['09:00-18:00'] } }), 'test registry');
    expect(parsed.marketplaces.acme!.calendar).toEqual({
      timeZone: 'Asia/Shanghai',
      week: { mon: ['09:00-18:00'] },
      holidays: [],
      extraWorkdays: [],
      extraWorkdayHours: 'mon',
    });
  });

  it.each([
    [{ timeZone: 'Asia/Shanghai', week: { mon: ['09:00-12:00', '11:30-18:00'] } }, 'marketplaces.acme.calendar.week.mon: 09:00-12:00 overlaps 11:30-18:00'],
    [{ timeZone: 'Asia/Shanghai', week: { mon: ['09:00-25:00'] } }, 'marketplaces.acme.calendar.week.mon: "09:00-25:00" closes at no time of day'],
    [{ timeZone: 'China/Beijing', week: { mon: ['09:00-18:00'] } }, 'marketplaces.acme.calendar.timeZone: "China/Beijing" is not an IANA time zone'],
    [{ timeZone: 'Asia/Shanghai', week: { mon: ['09:00-18:00'] }, holidays: ['2026-10-32'] }, 'marketplaces.acme.calendar.holidays.0: "2026-10-32" is not a date'],
  ])('is rejected at load with a message naming the field (%#)', (calendar, message) => {
    expect(() => parseRegistry(registry(calendar), 'test registry')).toThrow(`test registry is invalid: ${message}`);
  });
});
