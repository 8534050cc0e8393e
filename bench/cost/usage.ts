import type { FunctionId } from '@infra/resources';

/** What AWS would bill, counted while the local stack ran. */
export interface Usage {
  stateTransitions: number;
  lambda: Partial<Record<FunctionId, { invocations: number; billedMs: number; measuredMs: number }>>;
  dynamodb: {
    readUnits: number;
    writeUnits: number;
    requests: number;
    refusedWrites: number;
    /** Units by table (all its writes) and by index (the part of them its indexes took), to see where they go. */
    byTable: Record<string, { readUnits: number; writeUnits: number }>;
  };
  sqsRequests: number;
  /** Billed SQS requests by operation. */
  sqsByOperation: Record<string, number>;
  apiRequests: number;
  /** CloudWatch Logs bytes, by source. */
  logBytes: { lambdaHandlers: number; lambdaPlatform: number; stepFunctions: number; apiAccess: number };
  s3Puts: number;
}

export function emptyUsage(): Usage {
  return {
    stateTransitions: 0,
    lambda: {},
    dynamodb: { readUnits: 0, writeUnits: 0, requests: 0, refusedWrites: 0, byTable: {} },
    sqsRequests: 0,
    sqsByOperation: {},
    apiRequests: 0,
    logBytes: { lambdaHandlers: 0, lambdaPlatform: 0, stepFunctions: 0, apiAccess: 0 },
    s3Puts: 0,
  };
}

/** A deep copy, so a later change to the meter's running totals does not show in it. */
export function snapshot(usage: Usage): Usage {
  return structuredClone(usage);
}

/** `after - before`, field by field (numbers anywhere in the tree; entries absent before count from 0). */
export function difference(after: Usage, before: Usage): Usage {
  return subtract(after, before) as Usage;
}

function subtract(after: unknown, before: unknown): unknown {
  if (typeof after === 'number') return after - (typeof before === 'number' ? before : 0);
  const earlier = (before ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(after as Record<string, unknown>).map(([key, value]) => [key, subtract(value, earlier[key])]));
}
