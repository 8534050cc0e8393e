import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** The CloudWatch namespace of Aftercare's own metrics (the stack's alarms read them there). */
export const METRICS_NAMESPACE = 'Aftercare';

/** The counts Aftercare publishes (CloudWatch embedded metric format, through Powertools Metrics). */
export const METRIC_NAMES = {
  /** A ticket's workflow repaired by the reconciler: started, resumed in a new generation, or a step completed again. */
  workflowRepairs: 'WorkflowRepairs',
} as const;

export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

/**
 * One Metrics instance per process; the handler middleware publishes what was counted at the
 * end of each invocation. Locally, where no CloudWatch reads the lines, the runtime turns
 * the output off (`POWERTOOLS_METRICS_DISABLED`).
 */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'aftercare' });

/** Anything that counts: the process's Metrics, or a test's recorder. */
export interface Counter {
  count(name: MetricName, value?: number): void;
}

export const counter: Counter = {
  count: (name, value = 1) => metrics.addMetric(name, MetricUnit.Count, value),
};
