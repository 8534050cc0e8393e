import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import type { Ticket } from '@shared/tickets/ticket';
import { coveringChannels, postToChannel, type ChannelDeliveryDeps } from './channel-delivery';
import { wasDelivered, type Notification, type QueuedNotification } from './notification';

export interface TellOnCallDeps extends ChannelDeliveryDeps {
  readonly registry: () => Promise<MarketplaceRegistry>;
  readonly sqs: SQSClient;
  readonly notificationsQueueUrl: string;
}

/**
 * How long a channel has to answer the post made straight away. One that takes longer is left
 * to the notifier, which posts again with its own limit: the workflow's step is not held up by
 * a slow receiver.
 */
const IMMEDIATE_POST_TIMEOUT_MS = 2_000;

/**
 * Tells on-call of a warning or breach the moment it is recorded: posts the notification to
 * every channel that covers it, then queues it for the notifier with the channels that
 * accepted it (`postedTo`). The notifier records those on the ticket and its audit trail
 * without posting again, and delivers to the others with its retries. Nothing is lost: until
 * the message is queued the workflow's step has not ended, and a crash runs the step again,
 * which posts again (receivers dedupe by the notification id) and queues it. A notification the
 * notifier has delivered already (to any channel) is its own to finish: nothing is done here.
 */
export async function tellOnCall(deps: TellOnCallDeps, ticket: Ticket, notification: Notification): Promise<void> {
  if (wasDelivered(ticket.notificationsSent, notification.id)) return;
  const registry = await deps.registry();
  const channels = coveringChannels(registry, notification);
  const outcomes = await Promise.all(
    channels.map(async (channel) => ({ channel: channel.name, error: await postToChannel(deps, registry, channel, notification, IMMEDIATE_POST_TIMEOUT_MS) })),
  );
  const postedTo = outcomes.filter((outcome) => outcome.error === undefined).map((outcome) => outcome.channel);
  const queued: QueuedNotification = { ...notification, ...(postedTo.length ? { postedTo } : {}) };
  await deps.sqs.send(new SendMessageCommand({ QueueUrl: deps.notificationsQueueUrl, MessageBody: JSON.stringify(queued) }));
}
