/**
 * The one description of Aftercare's resources. The CDK stack (infra/cloud) and the local
 * runtime (infra/local) are both built from it, so tables, queues, state machines, routes
 * and consumers cannot drift apart between AWS and this machine.
 *
 * Names here are logical ids; each environment decides the physical names and hands them to
 * the functions through the environment variables named below.
 */

export type TableId = 'tickets' | 'audit' | 'inbox' | 'idempotency' | 'notifications' | 'reports' | 'messages';
export type QueueId = 'events' | 'notifications' | 'callbacks';
export type BucketId = 'checkpoints';
export type FunctionId =
  | 'receive-webhook'
  | 'get-webhook-event'
  | 'apply-event'
  | 'plan-next-step'
  | 'await-agent'
  | 'record-deadline'
  | 'act-on-ticket'
  | 'get-ticket'
  | 'list-tickets'
  | 'list-messages'
  | 'acknowledge-notification'
  | 'erase-message'
  | 'get-openapi'
  | 'sweep-inbox'
  | 'deliver-notification'
  | 'list-notifications'
  | 'list-audit-events'
  | 'export-audit-events'
  | 'get-marketplace-chain'
  | 'checkpoint-chain-heads'
  | 'relay-callbacks'
  | 'deliver-callback'
  | 'aggregate-kpis'
  | 'get-kpi-report'
  | 'reconcile-workflows'
  | 'draw-quality-sample'
  | 'list-quality-reviews'
  | 'review-ticket-quality';
export type StateMachineId = 'complaint' | 'return';

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface IndexSpec {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /**
   * What the index holds besides its keys and the table's: every attribute (absent), only the
   * keys (`'keys'`), or the attributes named. An index write is billed by the size of its entry,
   * and a change that touches none of its attributes writes nothing to it; AWS allows 100 named
   * attributes across a table's indexes, each index counting its own.
   */
  readonly projection?: 'keys' | readonly string[];
}

export interface TableSpec {
  readonly envVar: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** Global secondary indexes. */
  readonly indexes: readonly IndexSpec[];
  /** Attribute holding an epoch-seconds expiry, if items expire. */
  readonly timeToLiveAttribute?: string;
  /** A DynamoDB stream of every new item (its new image), for the consumers in {@link streamConsumers}. */
  readonly stream?: 'newImage';
}

export interface QueueSpec {
  readonly envVar: string;
  /** Names the dead-letter queue's URL for functions that park messages there themselves. */
  readonly deadLetterEnvVar: string;
  readonly visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the queue's dead-letter queue. */
  readonly maxReceiveCount: number;
  readonly retentionDays: number;
}

/** An S3 bucket whose objects, once written, cannot be changed or deleted before their retention ends. */
export interface BucketSpec {
  readonly envVar: string;
  /** S3 Object Lock in compliance mode: nobody, not even the account root, can delete or overwrite an object version for this long. */
  readonly objectLockRetentionDays: number;
}

/** `read`: list and get objects; `readAppend`: also put new ones (never delete, never change retention). */
export type BucketAccess = 'read' | 'readAppend';

/**
 * `read`: GetItem and Query only (no Scan). `append`: may add items only (PutItem,
 * conditioned on their absence), never update or delete; the audit table is granted this
 * way so the trail can only grow. `readAppend`: both, for a function that reads the trail
 * and records its own reading (the audit export).
 */
export type TableAccess = 'read' | 'readWrite' | 'append' | 'readAppend';
/** `sendWithDeadLetter`: may also send to the queue's dead-letter queue (a consumer that gives up on a message itself). */
export type QueueAccess = 'send' | 'sendWithDeadLetter';
/**
 * `start`: StartExecution; `callback`: complete task tokens; `startAndCallback`: both;
 * `reconcile`: both, plus list running executions and describe one.
 */
export type StateMachineAccess = 'start' | 'callback' | 'startAndCallback' | 'reconcile';

export interface FunctionSpec {
  /** Module exporting `handler`, relative to the project root. */
  readonly entry: string;
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** What the function may touch; each grant also sets the resource's environment variable. */
  readonly tables?: Partial<Record<TableId, TableAccess>>;
  readonly queues?: Partial<Record<QueueId, QueueAccess>>;
  readonly stateMachines?: Partial<Record<StateMachineId, StateMachineAccess>>;
  readonly buckets?: Partial<Record<BucketId, BucketAccess>>;
  /** Reads the marketplace registry (webhook secrets). */
  readonly marketplaceConfig?: boolean;
  /**
   * Verifies bearer tokens itself, on a route the gateway leaves open for callers who sign
   * instead: gets the gateway's issuer and audience (shared/auth/bearer-token.ts).
   */
  readonly bearerTokens?: boolean;
  /** Package files (`package/path`) the function reads at run time, copied next to its bundle. */
  readonly assets?: readonly string[];
}

export interface StateMachineSpec {
  /** The ASL file: the only definition, deployed by the CDK and run by the local engine. */
  readonly file: string;
  readonly envVar: string;
  /** `${Placeholder}` in the ASL file → function whose ARN replaces it. */
  readonly functionArnSubstitutions: Readonly<Record<string, FunctionId>>;
}

export type RouteAuth = 'jwt' | 'none';

export interface RouteSpec {
  readonly method: 'GET' | 'POST';
  /** API Gateway route path, with `{param}` segments. */
  readonly path: string;
  readonly function: FunctionId;
  /** `jwt`: the gateway (API Gateway JWT authorizer, or the local server) verifies a bearer token. */
  readonly auth: RouteAuth;
}

/** How often chain heads are checkpointed; each run looks back over four periods, so a failed run or two loses nothing. */
export const CHECKPOINT_EVERY_MINUTES = 15;

/** A function run on a fixed rate (EventBridge schedule in AWS, the shared clock locally). */
export interface ScheduleSpec {
  readonly function: FunctionId;
  readonly everyMinutes: number;
}

/**
 * A function fed by a table's stream (a Lambda event source mapping in AWS, a poller of
 * DynamoDB Local's stream locally). A failed record is retried alone (batch item failures,
 * the batch halved on a thrown error) `retryAttempts` times, then its description goes to
 * the mapping's on-failure queue in AWS.
 */
export interface StreamConsumerSpec {
  readonly table: TableId;
  readonly function: FunctionId;
  readonly batchSize: number;
  readonly retryAttempts: number;
  /** How long the on-failure queue keeps the descriptions of records given up on. */
  readonly failureRetentionDays: number;
}

export interface ConsumerSpec {
  readonly queue: QueueId;
  readonly function: FunctionId;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /**
   * Batches handled at once. In AWS the event source mapping's maximum concurrency (it scales
   * up to it as the queue grows); locally, that many pollers. Absent: AWS's own scaling, and
   * one batch at a time locally, so events for one ticket are not raced against each other.
   */
  readonly maxConcurrentBatches?: number;
}

/**
 * What the work-queue indexes of the tickets table hold: the queue line itself (`queueItem`,
 * shared/tickets/queue-keys.ts) and the attributes the queue filters and the manager's summary
 * read (shared/tickets/queue-plan.ts, ticket-queue.ts).
 */
export const QUEUE_INDEX_ATTRIBUTES = [
  'queueItem',
  'kind',
  'stage',
  'escalationTier',
  'assignee',
  'orderId',
  'customerRef',
  'nextDueAt',
  'queueWarned',
  'queueBreached',
] as const;

export const tables: Readonly<Record<TableId, TableSpec>> = {
  /**
   * Tickets: one item per ticket, `pk` = `TICKET#<id>`. The ticket item is the workflow's
   * state; an execution is only a cursor over it.
   */
  tickets: {
    envVar: 'TICKETS_TABLE_NAME',
    partitionKey: { name: 'pk', type: 'S' },
    indexes: [
      // A customer's tickets of one kind at one marketplace (`customerKey` = kind#marketplace#customer),
      // by creation time: finds repeat complaints.
      { name: 'by-customer', partitionKey: { name: 'customerKey', type: 'S' }, sortKey: { name: 'createdAt', type: 'S' }, projection: 'keys' },
      // Sparse: only open tickets carry `openMarketplace`, with `nextDueAt` their earliest running
      // deadline, so "open tickets of a marketplace due before T" is one Query.
      // It holds the kind and workflow intent the reconciler checks, so a healthy ticket is not read.
      { name: 'open-by-due', partitionKey: { name: 'openMarketplace', type: 'S' }, sortKey: { name: 'nextDueAt', type: 'S' }, projection: ['id', 'kind', 'workflow'] },
      // Sparse: only tickets whose callback outbox has an attempt waiting carry `callbackShard`,
      // with `nextCallbackAt` the earliest, so the relay finds what is due with one Query.
      { name: 'callbacks-due', partitionKey: { name: 'callbackShard', type: 'S' }, sortKey: { name: 'nextCallbackAt', type: 'S' }, projection: ['id'] },
      // The work queues of `GET /tickets` (shared/tickets/queue-keys.ts). Each sorts by `queueKey`
      // (`open#<next due time>` or `closed#<closedAt>`), so open/closed, "due before" and the
      // order are key conditions; each partition key is carried only by the tickets of its queue.
      { name: 'queue-by-marketplace', partitionKey: { name: 'queueMarketplace', type: 'S' }, sortKey: { name: 'queueKey', type: 'S' }, projection: QUEUE_INDEX_ATTRIBUTES },
      // Sparse: assigned tickets, by `<marketplace>#<subject>`.
      { name: 'queue-by-assignee', partitionKey: { name: 'queueAssignee', type: 'S' }, sortKey: { name: 'queueKey', type: 'S' }, projection: QUEUE_INDEX_ATTRIBUTES },
      // Sparse: tickets nobody is assigned to (the pools).
      { name: 'queue-unassigned', partitionKey: { name: 'queueUnassigned', type: 'S' }, sortKey: { name: 'queueKey', type: 'S' }, projection: QUEUE_INDEX_ATTRIBUTES },
      // Sparse: tickets with a breached deadline.
      { name: 'queue-breached', partitionKey: { name: 'queueBreached', type: 'S' }, sortKey: { name: 'queueKey', type: 'S' }, projection: QUEUE_INDEX_ATTRIBUTES },
      // Sparse: open tickets whose running deadline has had its warning.
      { name: 'queue-warned', partitionKey: { name: 'queueWarned', type: 'S' }, sortKey: { name: 'queueKey', type: 'S' }, projection: QUEUE_INDEX_ATTRIBUTES },
      // An order's tickets (`<marketplace>#<orderId>`), and a customer's (`<marketplace>#<customerRef>`).
      { name: 'queue-by-order', partitionKey: { name: 'queueOrder', type: 'S' }, sortKey: { name: 'queueKey', type: 'S' }, projection: QUEUE_INDEX_ATTRIBUTES },
      { name: 'queue-by-customer', partitionKey: { name: 'queueCustomer', type: 'S' }, sortKey: { name: 'queueKey', type: 'S' }, projection: QUEUE_INDEX_ATTRIBUTES },
    ],
  },
  /**
   * Audit trail: one item per event, `pk` = `TICKET#<id>`, `sk` = `SEQ#<10-digit sequence>`,
   * so a ticket's history is one Query in order. Kept apart from tickets so writers can be
   * limited to appending and auditors to reading.
   */
  audit: {
    envVar: 'AUDIT_TABLE_NAME',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    // Every new event flows to the KPI aggregator, which keeps the report counters.
    stream: 'newImage',
    indexes: [
      // A marketplace's events in time order (`atKey` = time#ticket#sequence keeps them unique and ordered).
      { name: 'by-marketplace', partitionKey: { name: 'marketplace', type: 'S' }, sortKey: { name: 'atKey', type: 'S' } },
      // An actor's events in time order (`actorKey` = type#id); the system's are left off (actorIndexAttributes, shared/audit/audit-trail.ts).
      { name: 'by-actor', partitionKey: { name: 'actorKey', type: 'S' }, sortKey: { name: 'atKey', type: 'S' } },
    ],
  },
  /**
   * The conversation of each ticket (shared/conversation): one item per message, `pk` =
   * `TICKET#<id>`, `sk` = `MSG#<10-digit audit sequence>`, so a conversation is one Query in
   * order. Kept apart from the audit trail, which holds each text's SHA-256 and length, so a
   * text can be erased on request and every chain still verifies.
   */
  messages: {
    envVar: 'MESSAGES_TABLE_NAME',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    indexes: [],
  },
  /**
   * Webhook inbox: one item per marketplace event, `pk` = `EVENT#<marketplace>#<event id>`.
   * The conditional put on it is the idempotency check for redeliveries.
   */
  inbox: {
    envVar: 'INBOX_TABLE_NAME',
    partitionKey: { name: 'pk', type: 'S' },
    indexes: [
      // Sparse: only events not yet applied or rejected carry `pendingShard`, for the sweeper.
      { name: 'pending', partitionKey: { name: 'pendingShard', type: 'S' }, sortKey: { name: 'receivedAt', type: 'S' } },
      // Sparse: only events waiting for their ticket's opening event carry `heldTicketId`.
      { name: 'held-by-ticket', partitionKey: { name: 'heldTicketId', type: 'S' }, sortKey: { name: 'receivedAt', type: 'S' } },
      // Sparse: only rejected events whose `event.rejected` callback waits for an attempt carry `callbackShard`.
      { name: 'callbacks-due', partitionKey: { name: 'callbackShard', type: 'S' }, sortKey: { name: 'nextCallbackAt', type: 'S' } },
    ],
    timeToLiveAttribute: 'expiresAt',
  },
  /**
   * Answers to API requests that carried an Idempotency-Key (Powertools idempotency layout:
   * `id`, expiring by `expiration`), so a repeated request gets the same answer.
   */
  idempotency: {
    envVar: 'IDEMPOTENCY_TABLE_NAME',
    partitionKey: { name: 'id', type: 'S' },
    indexes: [],
    timeToLiveAttribute: 'expiration',
  },
  /**
   * On-call notifications and how each channel's delivery stands, for `GET /notifications`:
   * one item per notification, `id` = its id (ticket:metric:kind), each channel's delivery a
   * `delivery:<channel>` attribute. Expire by TTL; the audit trail keeps every delivery.
   */
  notifications: {
    envVar: 'NOTIFICATIONS_TABLE_NAME',
    partitionKey: { name: 'id', type: 'S' },
    indexes: [
      // A marketplace's notifications by the time they were recorded, newest first when listed.
      { name: 'by-marketplace', partitionKey: { name: 'marketplace', type: 'S' }, sortKey: { name: 'at', type: 'S' } },
    ],
    timeToLiveAttribute: 'expiresAt',
  },
  /**
   * KPI counters, kept by the aggregator from the audit stream. Counter items:
   * `pk` = `KPI#<marketplace>#<day|month>#<agent|case>` (the counter families, see
   * shared/reports/kpi-store.ts), `sk` = `<period's first local date>#<the family's groups>`,
   * the groups also in `groups`, one number attribute per counter, so a report over any range
   * is one Query. (Before the families: `#<tier|category|priority|channel>`, the group in
   * `group`; still read.) Ticket items: `pk` = `TICKET#<id>`,
   * `sk` = `KPI`, what the aggregator knows of the ticket up to `lastSeq`, the audit event it
   * applied last (its counters changed in the same transaction). Quality spot-checks:
   * `CLOSED#<marketplace>` / `<local date>#<ticket>` each complaint as it closed (written by the
   * aggregator), `QDRAW#<marketplace>` / `<start>#<period>` each period's draw, and
   * `QREVIEW#<marketplace>#<period>#<start>` / `<ticket>` the draw's reviews.
   */
  reports: {
    envVar: 'REPORTS_TABLE_NAME',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    indexes: [],
  },
};

export const queues: Readonly<Record<QueueId, QueueSpec>> = {
  /** Marketplace events, stored in the inbox, waiting to be applied to tickets. */
  events: {
    envVar: 'EVENTS_QUEUE_URL',
    deadLetterEnvVar: 'EVENTS_DEAD_LETTER_QUEUE_URL',
    // Six times the consumer's timeout, as AWS advises for Lambda event sources.
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    retentionDays: 14,
  },
  /**
   * On-call notifications waiting for delivery. The notifier retries a failed channel itself,
   * queuing it again with a growing delay, and parks it in the dead-letter queue after its
   * last attempt; the redrive below only catches a notifier that crashed.
   */
  notifications: {
    envVar: 'NOTIFICATIONS_QUEUE_URL',
    deadLetterEnvVar: 'NOTIFICATIONS_DEAD_LETTER_QUEUE_URL',
    visibilityTimeoutSeconds: 30,
    maxReceiveCount: 8,
    retentionDays: 14,
  },
  /**
   * Callbacks to marketplaces, one message per delivery attempt. A refused delivery is not
   * retried through the queue: the ticket's outbox holds the backoff schedule (over hours)
   * and the relay queues the next attempt when it is due. The DLQ takes messages the
   * consumer itself failed on (storage errors) after five receives.
   */
  callbacks: {
    envVar: 'CALLBACKS_QUEUE_URL',
    deadLetterEnvVar: 'CALLBACKS_DEAD_LETTER_QUEUE_URL',
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    retentionDays: 14,
  },
};

export const buckets: Readonly<Record<BucketId, BucketSpec>> = {
  /**
   * Chain-head checkpoints: the last sequence and hash of every audit chain that changed,
   * written every few minutes under `ticket/<id>/<seq>.json` and `marketplace/<id>/<seq>.json`.
   * Locked for seven years (a common retention for business records), so a chain cut short
   * in the audit table after its checkpoint is still found out.
   */
  checkpoints: {
    envVar: 'CHECKPOINTS_BUCKET_NAME',
    objectLockRetentionDays: 7 * 365 + 2,
  },
};

export const functions: Readonly<Record<FunctionId, FunctionSpec>> = {
  'receive-webhook': {
    entry: 'functions/receive-webhook/handler.ts',
    description: 'Verifies a signed marketplace webhook, stores it in the inbox and queues it.',
    timeoutSeconds: 10,
    memoryMb: 512,
    tables: { inbox: 'readWrite' },
    queues: { events: 'send' },
    marketplaceConfig: true,
  },
  'get-webhook-event': {
    entry: 'functions/get-webhook-event/handler.ts',
    description: 'Tells a marketplace what became of one of its events: received, applied, held or rejected, and why.',
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { inbox: 'read' },
    marketplaceConfig: true,
    bearerTokens: true,
  },
  'apply-event': {
    entry: 'functions/apply-event/handler.ts',
    description: 'Applies queued marketplace events to tickets and starts their workflows.',
    timeoutSeconds: 30,
    memoryMb: 512,
    tables: { tickets: 'readWrite', inbox: 'readWrite', audit: 'append', messages: 'append' },
    queues: { events: 'send' },
    stateMachines: { complaint: 'startAndCallback', return: 'startAndCallback' },
    marketplaceConfig: true,
  },
  'plan-next-step': {
    entry: 'functions/plan-next-step/handler.ts',
    description: 'Workflow step: what to wait for next on a ticket, and until which deadline.',
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { tickets: 'read' },
  },
  'await-agent': {
    entry: 'functions/await-agent/handler.ts',
    description: 'Workflow step: stores the task token of a human step on its ticket.',
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { tickets: 'readWrite', audit: 'append' },
  },
  'record-deadline': {
    entry: 'functions/record-deadline/handler.ts',
    description: 'Workflow step: records a deadline warning, or a missed deadline with its escalation, tells on-call at once and queues the notification for the notifier.',
    // Waits out up to 2 s to the exact moment, and gives each on-call channel 2 s.
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { tickets: 'readWrite', audit: 'append' },
    queues: { notifications: 'send' },
    marketplaceConfig: true,
  },
  'act-on-ticket': {
    entry: 'functions/act-on-ticket/handler.ts',
    description: 'Applies an agent, merchant or manager action to a ticket and completes the waiting workflow step.',
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { tickets: 'readWrite', audit: 'append', idempotency: 'readWrite', messages: 'append' },
    queues: { notifications: 'send' },
    stateMachines: { complaint: 'callback', return: 'callback' },
    marketplaceConfig: true,
  },
  'get-ticket': {
    entry: 'functions/get-ticket/handler.ts',
    description: 'Returns a ticket with its stage and deadlines, or its audit trail with its newest checkpoint.',
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { tickets: 'read', audit: 'read' },
    buckets: { checkpoints: 'read' },
  },
  'list-tickets': {
    entry: 'functions/list-tickets/handler.ts',
    description: "Work queues: one page of a marketplace's tickets by filter (Query on the queue indexes), and the manager's summary.",
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { tickets: 'read' },
  },
  'list-messages': {
    entry: 'functions/list-messages/handler.ts',
    description: "A ticket's conversation in order, one page at a time; internal notes only for agents, managers and admins.",
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { tickets: 'read', messages: 'read' },
  },
  'erase-message': {
    entry: 'functions/erase-message/handler.ts',
    description: "Admins: replaces a message's text by a marker on request (PIPL), audited; the audit chain keeps its hash.",
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { tickets: 'readWrite', audit: 'append', messages: 'readWrite' },
  },
  'get-openapi': {
    entry: 'functions/get-openapi/handler.ts',
    description: 'Serves the webhook and API contract (OpenAPI), generated from the zod schemas, and its rendering at /docs.',
    timeoutSeconds: 5,
    memoryMb: 256,
    assets: ['swagger-ui-dist/swagger-ui-bundle.js', 'swagger-ui-dist/swagger-ui.css'],
  },
  'sweep-inbox': {
    entry: 'functions/sweep-inbox/handler.ts',
    description: 'Scheduled: queues again inbox events left unapplied, rejects events held too long.',
    timeoutSeconds: 60,
    memoryMb: 256,
    tables: { inbox: 'readWrite' },
    queues: { events: 'send' },
    marketplaceConfig: true,
  },
  'deliver-notification': {
    entry: 'functions/deliver-notification/handler.ts',
    description: 'Delivers on-call notifications (warnings, missed deadlines) to the channels configured per marketplace and tier, retrying with backoff.',
    // Channels are posted to in parallel, each given 5 s.
    timeoutSeconds: 20,
    memoryMb: 256,
    tables: { tickets: 'readWrite', audit: 'append', notifications: 'readWrite' },
    queues: { notifications: 'sendWithDeadLetter' },
    marketplaceConfig: true,
  },
  'list-notifications': {
    entry: 'functions/list-notifications/handler.ts',
    description: 'Lists recent on-call notifications of a marketplace with their delivery state.',
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { notifications: 'read' },
  },
  'acknowledge-notification': {
    entry: 'functions/acknowledge-notification/handler.ts',
    description: 'Managers: acknowledges an on-call notification (recorded, audited on its ticket) and passes it on to PagerDuty.',
    timeoutSeconds: 15,
    memoryMb: 256,
    tables: { tickets: 'readWrite', audit: 'append', notifications: 'readWrite' },
    marketplaceConfig: true,
  },
  'list-audit-events': {
    entry: 'functions/list-audit-events/handler.ts',
    description: "Auditors: one page of a marketplace's audit events in a time range, by index Query.",
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { audit: 'read' },
  },
  'export-audit-events': {
    entry: 'functions/export-audit-events/handler.ts',
    description: "Auditors: a marketplace's audit events in a time range as NDJSON or CSV; the export is itself audited.",
    timeoutSeconds: 29,
    memoryMb: 1024,
    tables: { audit: 'readAppend' },
  },
  'get-marketplace-chain': {
    entry: 'functions/get-marketplace-chain/handler.ts',
    description: "Auditors: a marketplace's own audit chain (its exports) in full, verified, with its newest checkpoint.",
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { audit: 'read' },
    buckets: { checkpoints: 'read' },
  },
  'checkpoint-chain-heads': {
    entry: 'functions/checkpoint-chain-heads/handler.ts',
    description: 'Scheduled: writes the head (sequence, hash) of every audit chain changed lately to the locked checkpoint bucket.',
    timeoutSeconds: 300,
    memoryMb: 512,
    tables: { audit: 'read' },
    buckets: { checkpoints: 'readAppend' },
    marketplaceConfig: true,
  },
  'relay-callbacks': {
    entry: 'functions/relay-callbacks/handler.ts',
    description: 'Scheduled: queues the marketplace callbacks whose first attempt or retry is due.',
    timeoutSeconds: 60,
    memoryMb: 256,
    tables: { tickets: 'read', inbox: 'read' },
    queues: { callbacks: 'send' },
  },
  'deliver-callback': {
    entry: 'functions/deliver-callback/handler.ts',
    description: 'Posts signed callbacks (decisions, due actions, agents\' replies) to marketplaces and records each attempt on the ticket.',
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { tickets: 'readWrite', audit: 'append', messages: 'read', inbox: 'readWrite' },
    marketplaceConfig: true,
  },
  'aggregate-kpis': {
    entry: 'functions/aggregate-kpis/handler.ts',
    description: "Audit stream consumer: folds each audit event into the KPI counters, exactly once, in the marketplace's time zone.",
    timeoutSeconds: 60,
    memoryMb: 512,
    tables: { reports: 'readWrite', audit: 'read' },
    marketplaceConfig: true,
  },
  'get-kpi-report': {
    entry: 'functions/get-kpi-report/handler.ts',
    description: 'KPI report of a marketplace per period and group, from the counters (JSON or CSV).',
    timeoutSeconds: 10,
    memoryMb: 512,
    tables: { reports: 'read' },
    marketplaceConfig: true,
  },
  'reconcile-workflows': {
    entry: 'functions/reconcile-workflows/handler.ts',
    description: "Scheduled: makes each open ticket's workflow match the ticket (starts a missing execution, resumes an ended one, completes a step done), audited and counted.",
    timeoutSeconds: 300,
    memoryMb: 512,
    tables: { tickets: 'readWrite', audit: 'append' },
    stateMachines: { complaint: 'reconcile', return: 'reconcile' },
    marketplaceConfig: true,
  },
  'draw-quality-sample': {
    entry: 'functions/draw-quality-sample/handler.ts',
    description: "Scheduled: draws each ended period's quality spot-checks (a seeded share of each agent's closed complaints) and records them.",
    timeoutSeconds: 60,
    memoryMb: 256,
    tables: { reports: 'readWrite' },
    marketplaceConfig: true,
  },
  'list-quality-reviews': {
    entry: 'functions/list-quality-reviews/handler.ts',
    description: "Managers: a period's quality draw and its reviews, pending or done.",
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { reports: 'read' },
    marketplaceConfig: true,
  },
  'review-ticket-quality': {
    entry: 'functions/review-ticket-quality/handler.ts',
    description: 'Managers: scores a drawn complaint (courtesy, accuracy, process) with a comment, audited on the ticket.',
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { tickets: 'readWrite', audit: 'append', reports: 'readWrite' },
  },
};

export const stateMachines: Readonly<Record<StateMachineId, StateMachineSpec>> = {
  complaint: {
    file: 'workflows/complaint.asl.json',
    envVar: 'COMPLAINT_STATE_MACHINE_ARN',
    functionArnSubstitutions: {
      PlanNextStepFunctionArn: 'plan-next-step',
      AwaitAgentFunctionArn: 'await-agent',
      RecordDeadlineFunctionArn: 'record-deadline',
    },
  },
  /** The return loop reuses the complaint's steps; each plans by the ticket's kind. */
  return: {
    file: 'workflows/return.asl.json',
    envVar: 'RETURN_STATE_MACHINE_ARN',
    functionArnSubstitutions: {
      PlanNextStepFunctionArn: 'plan-next-step',
      AwaitAgentFunctionArn: 'await-agent',
      RecordDeadlineFunctionArn: 'record-deadline',
    },
  },
};

export const routes: readonly RouteSpec[] = [
  { method: 'POST', path: '/webhooks/{marketplace}', function: 'receive-webhook', auth: 'none' },
  { method: 'GET', path: '/webhooks/{marketplace}/events/{id}', function: 'get-webhook-event', auth: 'none' },
  // Before `/tickets/{id}`: the local router takes the first match (API Gateway prefers the literal path anyway).
  { method: 'GET', path: '/tickets', function: 'list-tickets', auth: 'jwt' },
  { method: 'GET', path: '/tickets/summary', function: 'list-tickets', auth: 'jwt' },
  { method: 'GET', path: '/tickets/{id}', function: 'get-ticket', auth: 'jwt' },
  { method: 'POST', path: '/tickets/{id}/actions', function: 'act-on-ticket', auth: 'jwt' },
  { method: 'GET', path: '/tickets/{id}/messages', function: 'list-messages', auth: 'jwt' },
  { method: 'POST', path: '/tickets/{id}/messages/{messageId}/erase', function: 'erase-message', auth: 'jwt' },
  { method: 'GET', path: '/audit/tickets/{id}', function: 'get-ticket', auth: 'jwt' },
  { method: 'GET', path: '/audit/events', function: 'list-audit-events', auth: 'jwt' },
  { method: 'GET', path: '/audit/export', function: 'export-audit-events', auth: 'jwt' },
  { method: 'GET', path: '/audit/marketplaces/{marketplace}/chain', function: 'get-marketplace-chain', auth: 'jwt' },
  { method: 'GET', path: '/notifications', function: 'list-notifications', auth: 'jwt' },
  { method: 'POST', path: '/notifications/{id}/ack', function: 'acknowledge-notification', auth: 'jwt' },
  { method: 'GET', path: '/openapi.json', function: 'get-openapi', auth: 'none' },
  { method: 'GET', path: '/reports/kpis', function: 'get-kpi-report', auth: 'jwt' },
  { method: 'GET', path: '/quality/reviews', function: 'list-quality-reviews', auth: 'jwt' },
  { method: 'POST', path: '/quality/reviews/{id}', function: 'review-ticket-quality', auth: 'jwt' },
  { method: 'GET', path: '/docs', function: 'get-openapi', auth: 'none' },
  { method: 'GET', path: '/docs/{asset}', function: 'get-openapi', auth: 'none' },
];

export const consumers: readonly ConsumerSpec[] = [
  { queue: 'events', function: 'apply-event', batchSize: 10, maxBatchingWindowSeconds: 0 },
  // Several at once: when many deadlines fall due together, their deliveries are recorded and
  // retried side by side (RecordDeadline has posted them already; see tell-on-call.ts).
  { queue: 'notifications', function: 'deliver-notification', batchSize: 10, maxBatchingWindowSeconds: 0, maxConcurrentBatches: 5 },
  { queue: 'callbacks', function: 'deliver-callback', batchSize: 10, maxBatchingWindowSeconds: 0 },
];

export const streamConsumers: readonly StreamConsumerSpec[] = [
  { table: 'audit', function: 'aggregate-kpis', batchSize: 100, retryAttempts: 10, failureRetentionDays: 14 },
];

/** Environment variable naming the marketplace registry (webhook secrets) for functions that read it. */
export const MARKETPLACE_CONFIG_ENV = 'MARKETPLACES_SECRET_ARN';

export const schedules: readonly ScheduleSpec[] = [
  { function: 'sweep-inbox', everyMinutes: 1 },
  { function: 'checkpoint-chain-heads', everyMinutes: CHECKPOINT_EVERY_MINUTES },
  { function: 'relay-callbacks', everyMinutes: 1 },
  { function: 'reconcile-workflows', everyMinutes: 1 },
  { function: 'draw-quality-sample', everyMinutes: 15 },
];
