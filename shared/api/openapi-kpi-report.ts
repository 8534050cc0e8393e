/**
 * The answer of `GET /reports/kpis` as JSON Schema (README "KPI reports" defines each figure
 * and the period it lands in). Every rate is a ratio with what it is computed from.
 */
const ratio = {
  type: 'object',
  description: '`value` = `numerator` ÷ `denominator`; null when nothing was counted',
  properties: { value: { type: ['number', 'null'] }, numerator: { type: 'number' }, denominator: { type: 'number' } },
  required: ['value', 'numerator', 'denominator'],
};

const percentile = {
  type: 'object',
  description: 'the upper bound (seconds) of the duration bucket holding the `rank`-th of `count` durations; null past 7 days or when none',
  properties: { value: { type: ['number', 'null'] }, rank: { type: 'integer' }, count: { type: 'integer' } },
  required: ['value', 'rank', 'count'],
};

const durations = (description: string) => ({
  type: 'object',
  description,
  properties: { count: { type: 'integer' }, onTime: ratio, meanSeconds: ratio, p50Seconds: percentile, p90Seconds: percentile },
  required: ['count', 'meanSeconds', 'p50Seconds', 'p90Seconds'],
});

const counts = { type: 'object', additionalProperties: { type: 'integer' } };

const row = {
  type: 'object',
  properties: {
    period: { type: 'string', format: 'date', description: 'first local date of the period' },
    periodEnd: { type: 'string', format: 'date', description: 'first local date after it' },
    group: { type: 'string', description: 'the group (agent id, tier, category, priority, channel), `all` without `groupBy`' },
    volume: {
      type: 'object',
      properties: {
        opened: { type: 'integer' },
        resolved: { type: 'integer' },
        closed: { type: 'integer' },
        reopened: { type: 'integer' },
        escalated: { type: 'integer' },
        returnsOpened: { type: 'integer' },
        returnsByType: counts,
        returnsByOutcome: counts,
      },
    },
    firstResponse: {
      allOf: [
        durations('first responses: on-time share and waits from the opening'),
        {
          type: 'object',
          properties: { business: durations('the same waits in working time, for complaints opened with a business calendar (no on-time share)') },
          required: ['business'],
        },
      ],
    },
    nextReply: durations('public replies that met a next reply owed after a customer\'s message: on-time share and waits from the message, in elapsed seconds'),
    initialHandlingOnTime: ratio,
    resolutionOnTime: ratio,
    resolutionRate: {
      allOf: [ratio, { type: 'object', properties: { target: { type: 'number' }, meetsTarget: { type: ['boolean', 'null'] } } }],
    },
    escalationRate: ratio,
    reopenRate: ratio,
    csat: {
      type: 'object',
      properties: {
        answers: { type: 'integer' },
        mean: ratio,
        satisfied: ratio,
        band: { enum: ['excellent', 'good', 'needs_improvement', null] },
      },
    },
    nps: {
      type: 'object',
      properties: { answers: { type: 'integer' }, promoters: { type: 'integer' }, detractors: { type: 'integer' }, score: ratio },
    },
    breaches: {
      ...counts,
      description: '`total` and one count per deadline metric (firstResponse, nextReply, initialHandling, resolution, merchantDecision, merchantReceipt, refund)',
    },
    returns: {
      type: 'object',
      properties: { approved: { type: 'integer' }, rejected: { type: 'integer' }, autoApproved: ratio, refundsOnTime: ratio },
    },
    reviews: {
      type: 'object',
      properties: { count: { type: 'integer' }, meanScore: ratio, courtesy: ratio, accuracy: ratio, process: ratio },
    },
  },
  required: [
    'period',
    'periodEnd',
    'group',
    'volume',
    'firstResponse',
    'nextReply',
    'initialHandlingOnTime',
    'resolutionOnTime',
    'resolutionRate',
    'escalationRate',
    'reopenRate',
    'csat',
    'nps',
    'breaches',
    'returns',
    'reviews',
  ],
};

export const kpiReportSchema = {
  type: 'object',
  description: 'a marketplace\'s KPIs per period (and group), each figure with its numerator and denominator',
  properties: {
    marketplace: { type: 'string' },
    timeZone: { type: 'string', description: 'the IANA zone the periods are counted in' },
    period: { enum: ['day', 'week', 'month', 'quarter', 'year'] },
    groupBy: { enum: ['agent', 'tier', 'category', 'priority', 'channel', null] },
    from: { type: 'string', format: 'date', description: 'first local date of the first period' },
    to: { type: 'string', format: 'date', description: 'first local date after the last period' },
    rows: { type: 'array', items: row },
  },
  required: ['marketplace', 'timeZone', 'period', 'groupBy', 'from', 'to', 'rows'],
};
