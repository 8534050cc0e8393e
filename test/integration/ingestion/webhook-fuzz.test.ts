import fc from 'fast-check';
import { returnCaseEvents } from '../../support/events';
import { startInProcessStack, type InProcessStack } from '../../support/in-process-stack';

/**
 * Hostile and malformed webhook bodies, all correctly signed so they reach validation:
 * every one must get a 4xx (never a 5xx) and write nothing anywhere.
 */
describe('webhook validation under fuzzing', () => {
  let env: InProcessStack;

  beforeAll(async () => {
    env = await startInProcessStack();
  }, 120_000);

  afterAll(async () => {
    await env?.stop();
  });

  const valid = returnCaseEvents('fuzz')[0]! as unknown as Record<string, unknown>;
  const validData = valid.data as Record<string, unknown>;
  const anyJson = fc.jsonValue({ maxDepth: 3 });

  const hostileBody = fc.oneof(
    // not JSON at all
    fc.string({ maxLength: 200 }).filter((text) => !isJson(text)),
    // JSON, but not an event object
    anyJson.filter((value) => value === null || typeof value !== 'object' || Array.isArray(value)).map((value) => JSON.stringify(value)),
    // an event with an unknown type
    fc.string({ minLength: 1, maxLength: 40 }).filter((type) => !type.includes('.')).map((type) => JSON.stringify({ ...valid, type })),
    // an envelope field missing or of the wrong type
    fc
      .record({ field: fc.constantFrom('id', 'type', 'occurredAt', 'data'), value: fc.option(anyJson, { nil: undefined }) })
      .filter(({ field, value }) => value === undefined || typeof value !== typeof valid[field] || field === 'occurredAt')
      .map(({ field, value }) => JSON.stringify({ ...valid, [field]: value ?? undefined })),
    // a known data field missing or of the wrong type
    fc
      .record({ field: fc.constantFrom(...Object.keys(validData)), value: anyJson })
      .filter(({ field, value }) => typeof value !== typeof validData[field])
      .map(({ field, value }) => `{"id":"fuzz-x","type":"return.requested","occurredAt":"2026-03-01T08:00:00Z","data":${JSON.stringify({ ...validData }).slice(0, -1)},${JSON.stringify(field)}:${JSON.stringify(value)}}}`),
    // out-of-range values
    fc.constantFrom(
      JSON.stringify({ ...valid, data: { ...validData, amount: -1 } }),
      JSON.stringify({ ...valid, data: { ...validData, currency: 'yuan' } }),
      JSON.stringify({ ...valid, data: { ...validData, requestType: 'steal' } }),
      JSON.stringify({ ...valid, occurredAt: 'yesterday' }),
      JSON.stringify({ ...valid, id: '' }),
      JSON.stringify({ ...valid, id: 'x'.repeat(500) }),
      JSON.stringify({ id: 'fuzz-s', type: 'survey.answered', occurredAt: '2026-03-01T08:00:00Z', data: { reference: 'r', csat: 6 } }),
    ),
    // oversized
    fc.constant(JSON.stringify({ ...valid, data: { ...validData, reason: 'x'.repeat(300 * 1024) } })),
  );

  it('answers 4xx to 1,000 hostile bodies and writes nothing', async () => {
    const tablesBefore = await Promise.all([env.allItems('inbox'), env.allItems('tickets'), env.allItems('audit')]);
    const statuses = new Map<number, number>();

    await fc.assert(
      fc.asyncProperty(hostileBody, async (body) => {
        const answer = await env.api.sendWebhook('demo', env.secret, body);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        expect(typeof answer.body.message).toBe('string');
      }),
      { numRuns: 1000 },
    );
    await env.api.advance(0);

    const tablesAfter = await Promise.all([env.allItems('inbox'), env.allItems('tickets'), env.allItems('audit')]);
    expect(tablesAfter.map((items) => items.length)).toEqual(tablesBefore.map((items) => items.length));
    expect([...statuses.keys()].every((status) => [400, 413].includes(status))).toBe(true);
  });

  it('accepts 50 valid events carrying unknown fields of any JSON value, at any level, and stores each body as received', async () => {
    const knownKeys = new Set([...Object.keys(valid), ...Object.keys(validData)]);
    const unknownFields = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((key) => !knownKeys.has(key)), anyJson, { maxKeys: 4 });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(unknownFields, unknownFields, async (envelopeExtra, dataExtra) => {
        run += 1;
        const id = `fuzz-grown-${run}`;
        // Known fields last, so an unknown key can never replace one.
        const body = JSON.stringify({ ...envelopeExtra, ...valid, id, data: { ...dataExtra, ...validData, reference: id } });
        const answer = await env.api.sendWebhook('demo', env.secret, body);
        expect([answer.status, answer.body.eventId]).toEqual([202, id]);
      }),
      { numRuns: 50 },
    );
    await env.api.advance(0);
    const grown = (await env.allItems('inbox')).filter((item) => String(item.eventId).startsWith('fuzz-grown-'));
    expect(grown).toHaveLength(50);
    expect(grown.filter((item) => item.status !== 'applied')).toEqual([]);
  });

  it('names the wrong field in its answer', async () => {
    const answer = await env.api.sendWebhook('demo', env.secret, JSON.stringify({ ...valid, data: { ...validData, amount: 'lots' } }));
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain('data.amount');
    const unknownType = await env.api.sendWebhook('demo', env.secret, JSON.stringify({ ...valid, type: 'order.cancelled' }));
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.message).toContain('type');
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
