import { parseRegistry } from '@shared/config/marketplaces';
import { channelsFor, onCallConfigSchema, type OnCallConfig } from '@shared/notifications/channels';
import { retryDelaySeconds, MAX_DELIVERY_ATTEMPTS } from '../../../functions/deliver-notification/retry-schedule';

const config = (channels: unknown): OnCallConfig => onCallConfigSchema.parse({ channels });

describe('on-call channels', () => {
  const marketplace = config([
    { name: 'agents', type: 'webhook', url: 'https://hooks.example/agents', maxTier: 0 },
    { name: 'supervisors', type: 'slack', url: 'https://hooks.slack.example/T1/B1/x', minTier: 1 },
    { name: 'managers', type: 'pagerduty', routingKey: 'R0UT1NGKEY0000000000000000000001', minTier: 3, kinds: ['breach'] },
  ]);
  const global = onCallConfigSchema.parse({ webhookUrl: 'https://on-call.example/hook', signingSecret: 'global-signing-secret-1' });
  const namesWith = (own: OnCallConfig | undefined, kind: 'warning' | 'breach', escalationTier: number) =>
    channelsFor({ kind, escalationTier }, own, global).map((channel) => channel.name);
  const names = (kind: 'warning' | 'breach', escalationTier: number) => namesWith(marketplace, kind, escalationTier);

  it.each([
    ['warning', 0, ['agents']],
    ['breach', 1, ['supervisors']],
    ['warning', 3, ['supervisors']],
    ['breach', 3, ['supervisors', 'managers']],
    ['breach', 4, ['supervisors', 'managers']],
  ] as const)('sends a %s at tier %i to %j', (kind, tier, expected) => {
    expect(names(kind, tier)).toEqual(expected);
  });

  it('uses the global channels for a marketplace without its own, the short form as a webhook named on-call', () => {
    expect(namesWith(undefined, 'breach', 2)).toEqual(['on-call']);
    expect(channelsFor({ kind: 'warning', escalationTier: 0 }, undefined, global)[0]).toMatchObject({
      type: 'webhook',
      url: 'https://on-call.example/hook',
      signingSecret: 'global-signing-secret-1',
    });
    expect(namesWith(onCallConfigSchema.parse({}), 'breach', 2)).toEqual(['on-call']);
  });

  it('defaults a PagerDuty channel to the Events API v2 endpoint', () => {
    expect(channelsFor({ kind: 'breach', escalationTier: 4 }, marketplace, global).find((channel) => channel.type === 'pagerduty')).toMatchObject({
      url: 'https://events.pagerduty.com/v2/enqueue',
    });
  });

  it.each([
    [[{ name: 'a', type: 'slack', url: 'https://x.example' }, { name: 'a', type: 'slack', url: 'https://y.example' }], 'channel names must be unique'],
    [[{ name: 'p', type: 'pagerduty', routingKey: 'short' }], 'a PagerDuty routing key has 32 characters'],
    [[{ name: 'w', type: 'webhook', url: 'https://x.example', minTier: 3, maxTier: 1 }], 'minTier must not be above maxTier'],
    [[{ name: 'w', type: 'email', url: 'https://x.example' }], 'channels.0.type'],
    [[{ name: 'Upper Case', type: 'slack', url: 'https://x.example' }], 'channel names are lowercase'],
  ])('refuses a registry with bad channels (%#)', (channels, message) => {
    const registry = JSON.stringify({ marketplaces: { acme: { webhookSecrets: ['0123456789abcdef'], onCall: { channels } } } });
    expect(() => parseRegistry(registry, 'test registry')).toThrow(message);
  });
});

describe('notification retry schedule', () => {
  it('doubles from 30 s up to the 15-minute SQS limit, over eight attempts', () => {
    const delays = Array.from({ length: MAX_DELIVERY_ATTEMPTS - 1 }, (_unused, index) => retryDelaySeconds(index + 1));
    expect(delays).toEqual([30, 60, 120, 240, 480, 900, 900]);
  });
});
