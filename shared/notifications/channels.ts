import { z } from 'zod';
import { NOTIFICATION_KINDS, type Notification } from './notification';

/** Highest escalation tier (managers); channels filter on the tier a notification reached. */
const TIER = z.number().int().min(0).max(4);

const channelFilter = {
  /** Unique within its list; names the channel in the audit trail and in delivery states. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'channel names are lowercase letters, digits and dashes'),
  /** Only notifications at an escalation tier within [minTier, maxTier] go to this channel. */
  minTier: TIER.default(0),
  maxTier: TIER.default(4),
  /** Which kinds go to this channel: warnings (before a deadline), breaches, escalations into the channel's tiers; all by default. */
  kinds: z.array(z.enum(NOTIFICATION_KINDS)).min(1).default([...NOTIFICATION_KINDS]),
  /**
   * When this channel is on duty, by the marketplace's business calendar at the moment the
   * warning or breach is recorded: `business` (working hours), `off-hours` (nights, weekends
   * and holidays: the duty channel, 值班) or `always` (the default). Without a calendar it is
   * always working hours.
   */
  when: z.enum(['business', 'off-hours', 'always']).optional(),
};

/**
 * Where on-call notifications go. `webhook`: Aftercare's signed JSON (the inbound signature
 * scheme, with `signingSecret`); `slack`: a Slack-compatible incoming webhook (its URL is the
 * secret); `pagerduty`: a PagerDuty Events API v2-compatible endpoint with the service's
 * integration (routing) key.
 */
export const onCallChannelSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...channelFilter, type: z.literal('webhook'), url: z.url(), signingSecret: z.string().min(16).optional() }),
  z.strictObject({ ...channelFilter, type: z.literal('slack'), url: z.url() }),
  z.strictObject({
    ...channelFilter,
    type: z.literal('pagerduty'),
    url: z.url().default('https://events.pagerduty.com/v2/enqueue'),
    routingKey: z.string().length(32, 'a PagerDuty routing key has 32 characters'),
  }),
]);

export type OnCallChannel = z.infer<typeof onCallChannelSchema>;

const channelList = z
  .array(onCallChannelSchema)
  .refine((channels) => new Set(channels.map((channel) => channel.name)).size === channels.length, 'channel names must be unique')
  .refine((channels) => channels.every((channel) => channel.minTier <= channel.maxTier), 'minTier must not be above maxTier');

/**
 * On-call configuration, globally or per marketplace. `webhookUrl` (with `signingSecret`) is
 * the short form of one `webhook` channel named `on-call` for every tier and kind.
 */
export const onCallConfigSchema = z.strictObject({
  webhookUrl: z.url().optional(),
  signingSecret: z.string().min(16).optional(),
  channels: channelList.optional(),
});

export type OnCallConfig = z.infer<typeof onCallConfigSchema>;

/** The channels a configuration names: the short-form webhook first, then the listed ones. */
export function channelsOf(config: OnCallConfig | undefined): OnCallChannel[] {
  if (!config) return [];
  const shortForm: OnCallChannel[] = config.webhookUrl
    ? [{ name: 'on-call', type: 'webhook', url: config.webhookUrl, signingSecret: config.signingSecret, minTier: 0, maxTier: 4, kinds: [...NOTIFICATION_KINDS] }]
    : [];
  return [...shortForm, ...(config.channels ?? [])];
}

/**
 * The channels a notification goes to: the marketplace's own on-call channels when it has
 * any, else the global ones; of those, each whose tier range and kinds cover it and that is
 * on duty then (`inWorkingHours`: whether the marketplace's desk was working when the
 * notification was recorded).
 */
export function channelsFor(
  notification: Pick<Notification, 'kind' | 'escalationTier'>,
  marketplaceOnCall: OnCallConfig | undefined,
  globalOnCall: OnCallConfig | undefined,
  inWorkingHours = true,
): OnCallChannel[] {
  const own = channelsOf(marketplaceOnCall);
  const configured = own.length > 0 ? own : channelsOf(globalOnCall);
  return configured.filter(
    (channel) =>
      channel.kinds.includes(notification.kind) &&
      notification.escalationTier >= channel.minTier &&
      notification.escalationTier <= channel.maxTier &&
      onDuty(channel, inWorkingHours),
  );
}

/** Whether a channel takes notifications recorded in (or out of) working hours. */
function onDuty(channel: OnCallChannel, inWorkingHours: boolean): boolean {
  const when = channel.when ?? 'always';
  return when === 'always' || when === (inWorkingHours ? 'business' : 'off-hours');
}
