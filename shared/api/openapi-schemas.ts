import { checkpointSchema } from '@shared/audit/checkpoints';
import { COMPLAINT_CATEGORIES, PRIORITIES } from '@shared/webhooks/events';
import { DEADLINE_NAMES } from '@shared/tickets/ticket';
import { notificationSchema } from '@shared/notifications/notification';
import { ERROR_SCHEMA, schemaOf } from './openapi-parts';

const dateTime = { type: 'string', format: 'date-time' };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const deadline = {
  type: 'object',
  description: 'one deadline: when it is due, and when it was warned about, met or breached',
  properties: {
    dueAt: dateTime,
    clock: { enum: ['business', 'calendar'], description: 'business: only the working hours of the ticket\'s calendar count' },
    startedAt: { ...dateTime, description: 'for a next reply: when the customer\'s message that started it was received' },
    warnedAt: dateTime,
    metAt: dateTime,
    breachedAt: dateTime,
  },
  required: ['dueAt'],
};

const nextReplyRecord = {
  type: 'object',
  description: 'a next reply met: the customer\'s message that started it, when it was due, when a public reply met it, how long that took and how late',
  properties: {
    startedAt: dateTime,
    dueAt: dateTime,
    clock: { enum: ['business', 'calendar'] },
    metAt: dateTime,
    repliedAfterSeconds: { type: 'integer', minimum: 0, description: 'seconds from the message to the reply, every second counted' },
    repliedAfterBusinessSeconds: { type: 'integer', minimum: 0, description: 'the same in working hours, when the deadline counted in business time' },
    onTime: { type: 'boolean' },
    lateBySeconds: { type: 'integer', minimum: 0, description: '0 when on time' },
    warnedAt: dateTime,
    breachedAt: dateTime,
  },
  required: ['startedAt', 'dueAt', 'metAt', 'repliedAfterSeconds', 'onTime', 'lateBySeconds'],
};

/**
 * The answer bodies of the API, as JSON Schema. Objects allow further properties: clients
 * must ignore fields they do not know, so Aftercare can add fields without a new version.
 */
export const componentSchemas = {
  Error: ERROR_SCHEMA,
  Ticket: {
    type: 'object',
    description: 'a complaint or return case as API callers see it (no task tokens, no customer names)',
    properties: {
      id: { type: 'string', examples: ['tkt_3f0c9a1e5b7d2c4f6a8b0e1d'] },
      kind: { enum: ['complaint', 'return'] },
      marketplace: { type: 'string' },
      externalRef: { type: 'string', description: 'the marketplace\'s own case reference' },
      orderId: { type: 'string' },
      customerRef: { type: 'string', description: 'pseudonymous customer reference' },
      category: { enum: [...COMPLAINT_CATEGORIES] },
      priority: { enum: [...PRIORITIES] },
      stage: { type: 'string', description: 'where the case stands, e.g. `awaiting_first_response`, `refund_due`, `closed`' },
      escalationTier: { type: 'integer', minimum: 0, maximum: 4, description: '0 agents, 1 supervisors, 2 managers, up to 4' },
      assignee: { type: 'string' },
      deadlines: {
        type: 'object',
        description: 'each deadline of the case by name; `nextReply` is the latest next reply (owed after a customer message, or met)',
        propertyNames: { enum: [...DEADLINE_NAMES] },
        additionalProperties: deadline,
      },
      breaches: {
        type: 'array',
        items: {
          type: 'object',
          properties: { metric: { enum: [...DEADLINE_NAMES] }, dueAt: dateTime, recordedAt: dateTime, lateBySeconds: { type: 'integer' } },
          required: ['metric', 'dueAt', 'recordedAt', 'lateBySeconds'],
        },
      },
      nextReplies: { type: 'array', items: nextReplyRecord, description: 'every next reply met so far, oldest first' },
      facts: { type: 'object', description: 'what the marketplace reported (shipment, receipt, survey answer, …), each with its time' },
      awaiting: {
        oneOf: [{ type: 'object', properties: { step: { type: 'string' }, since: dateTime }, required: ['step', 'since'] }, { type: 'null' }],
        description: 'the step the workflow waits for, if any',
      },
      version: { type: 'integer', description: 'send it back as `expectedVersion` to act only on this version' },
      createdAt: dateTime,
      updatedAt: { ...dateTime, description: "when the case last changed (the system's own bookkeeping, such as a callback's delivery record, leaves it)" },
    },
    required: ['id', 'kind', 'marketplace', 'externalRef', 'stage', 'escalationTier', 'deadlines', 'breaches', 'facts', 'version', 'createdAt', 'updatedAt'],
  },
  TicketAnswer: {
    type: 'object',
    properties: { ticket: ref('Ticket'), allowedActions: { type: 'array', items: { type: 'string' }, description: 'the actions the ticket\'s stage allows now' } },
    required: ['ticket'],
  },
  AuditEvent: {
    type: 'object',
    description: 'one entry of a hash-chained audit trail (docs/audit-trail.md)',
    properties: {
      ticketId: { type: 'string' },
      marketplace: { type: 'string' },
      chain: { const: 'marketplace', description: 'present on a marketplace\'s own events (exports)' },
      seq: { type: 'integer', minimum: 1 },
      at: dateTime,
      actor: { type: 'object', properties: { type: { type: 'string' }, id: { type: 'string' } }, required: ['type', 'id'] },
      via: { enum: ['webhook', 'api', 'workflow'] },
      action: { type: 'string', examples: ['ticket.created', 'sla.breached'] },
      changes: {
        type: 'array',
        items: { type: 'object', properties: { field: { type: 'string' }, from: {}, to: {} }, required: ['field'] },
      },
      reason: { type: 'string' },
      prevHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    },
    required: ['marketplace', 'seq', 'at', 'actor', 'action', 'prevHash', 'hash'],
  },
  ChainVerification: {
    description: 'the chain recomputed from its events',
    oneOf: [
      {
        type: 'object',
        properties: { valid: { const: true }, events: { type: 'integer' }, headHash: { type: 'string' } },
        required: ['valid', 'events', 'headHash'],
      },
      {
        type: 'object',
        properties: { valid: { const: false }, events: { type: 'integer' }, brokenAtSeq: { type: 'integer' }, problem: { type: 'string' } },
        required: ['valid', 'events', 'brokenAtSeq', 'problem'],
      },
    ],
  },
  EventStatus: {
    type: 'object',
    description: 'an event\'s status: `received` (stored, not applied yet), `applied` (to `ticketId`), `held` (`waitingFor`, until `heldUntil`) or `rejected` (`reason`)',
    properties: {
      eventId: { type: 'string' },
      type: { type: 'string', examples: ['return.shipped'] },
      reference: { type: 'string' },
      receivedAt: dateTime,
      status: { enum: ['received', 'applied', 'held', 'rejected'] },
      ticketId: { type: 'string', description: 'applied: the ticket it changed' },
      appliedAt: dateTime,
      waitingFor: { type: 'string', description: 'held: what it waits for' },
      heldUntil: { ...dateTime, description: 'held: when it is rejected if what it waits for has not arrived' },
      reason: { type: 'string', description: 'rejected: why' },
      rejectedAt: dateTime,
    },
    required: ['eventId', 'type', 'reference', 'receivedAt', 'status'],
  },
  Checkpoint: { oneOf: [schemaOf(checkpointSchema), { type: 'null' }], description: 'the newest checkpoint of the chain, if any' },
  NotificationRecord: {
    allOf: [
      schemaOf(notificationSchema),
      {
        type: 'object',
        properties: {
          state: { enum: ['sent', 'retrying', 'failed', 'no_channel'] },
          deliveries: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                channel: { type: 'string' },
                type: { enum: ['webhook', 'slack', 'pagerduty'] },
                state: { enum: ['sent', 'retrying', 'failed'] },
                attempts: { type: 'integer' },
                lastAttemptAt: dateTime,
                sentAt: dateTime,
                lastError: { type: 'string' },
                nextAttemptAt: dateTime,
              },
              required: ['channel', 'type', 'state', 'attempts', 'lastAttemptAt'],
            },
          },
        },
        required: ['state', 'deliveries'],
      },
    ],
  },
};
