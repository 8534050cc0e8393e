import { z } from 'zod';
import { DEADLINE_NAMES } from '@shared/tickets/ticket';
import { COMPLAINT_CATEGORIES, PRIORITIES } from '@shared/webhooks/events';
import { notificationSchema } from '@shared/notifications/notification';

/** Response bodies of the work-queue routes, for the OpenAPI document (the handlers build them in shared/tickets/ticket-queue.ts). */
const breachSchema = z.object({
  metric: z.enum(DEADLINE_NAMES),
  dueAt: z.string().describe('when the deadline was due'),
  recordedAt: z.string().describe('when the breach was recorded'),
  lateBySeconds: z.number().int(),
});

export const queueItemSchema = z.object({
  id: z.string().describe('the ticket id'),
  kind: z.enum(['complaint', 'return']),
  marketplace: z.string(),
  reference: z.string().describe("the marketplace's own case reference"),
  subject: z.string().nullable(),
  stage: z.string().describe('where the ticket is in its workflow, e.g. `awaiting_first_response`'),
  tier: z.number().int().describe('escalation tier (0 = agents)'),
  assignee: z.string().nullable().describe('subject of the assigned person; null in the pool'),
  priority: z.enum(PRIORITIES),
  category: z.enum(COMPLAINT_CATEGORIES).nullable(),
  nextDeadline: z
    .object({ name: z.enum(DEADLINE_NAMES), dueAt: z.string(), warnedAt: z.string().optional().describe('when its warning (80 % of the span) was recorded') })
    .nullable()
    .describe('the earliest deadline still running; null when none runs'),
  breaches: z.array(breachSchema),
  updatedAt: z.string().describe("when the case last changed (the system's own bookkeeping leaves it)"),
});

export const ticketPageSchema = z.object({
  items: z.array(queueItemSchema),
  cursor: z.string().optional().describe('present when more tickets follow: pass it back as `cursor` with the same filters'),
});

const countByTier = z.object({
  total: z.number().int(),
  byTier: z.record(z.string(), z.number().int()).describe('escalation tier → count; tiers with none are left out'),
});

export const ticketSummarySchema = z.object({
  marketplace: z.string(),
  asOf: z.string().describe('the moment the counts were taken ("at risk" is measured from it)'),
  open: z.number().int().describe('open tickets'),
  byStageAndTier: z.array(z.object({ stage: z.string(), tier: z.number().int(), count: z.number().int() })).describe('open tickets per stage and tier; empty cells left out'),
  atRisk: countByTier.describe('open tickets with a warning recorded on a running deadline or a deadline due within the hour'),
  breached: countByTier.describe('open tickets with a breached deadline'),
  unassigned: countByTier.describe('open tickets nobody is assigned to'),
});

const actor = z.object({ type: z.string(), id: z.string() });

/** A notification as `GET /notifications` and its acknowledgement show it. */
export const acknowledgedNotificationSchema = notificationSchema.extend({
  deliveries: z.array(
    z.object({
      channel: z.string(),
      type: z.enum(['webhook', 'slack', 'pagerduty']),
      state: z.enum(['sent', 'retrying', 'failed']),
      attempts: z.number().int(),
      lastAttemptAt: z.string(),
      sentAt: z.string().optional(),
      lastError: z.string().optional(),
      nextAttemptAt: z.string().optional(),
    }),
  ),
  state: z.enum(['sent', 'retrying', 'failed', 'no_channel']),
  acknowledged: z.object({ at: z.string(), by: actor }).nullable(),
  acknowledgementDeliveries: z.array(z.object({ channel: z.string(), state: z.enum(['sent', 'failed']), at: z.string(), error: z.string().optional() })),
});
