import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** The CloudWatch namespace of Aftercare's own metrics (the stack's alarms read them there). */
export const METRICS_NAMESPACE = 'Aftercare';

/** The counts Aftercare publishes (CloudWatch embedded metric format, through Powertools Metrics). */
export const METRIC_NAMES = {
  /** A ticket's workflow repaired by the reconciler: started, resumed in a new generation, or a step completed again. */
  workflowRepairs: 'WorkflowRepairs',
  /** A deadline recorded as missed (by the workflow at its due time, or by a late action); the stack alarms on a surge. */
  slaBreaches: 'SlaBreaches',
  /** A deadline's warning recorded (on-call told it is near). */
  slaWarnings: 'SlaWarnings',
  /** A callback to a marketplace abandoned after its last attempt: the marketplace never heard of that decision. */
  callbacksGivenUp: 'CallbacksGivenUp',
  /** An on-call notification parked in the dead-letter queue after its last attempt on some channel. */
  notificationsGivenUp: 'NotificationsGivenUp',
} as const;

export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

/**
 * One Metrics instance per process; the handler middleware publishes what was counted at the
 * end of each invocation. Locally, where no CloudWatch reads the lines, the runtime turns
 * the output off (`POWERTOOLS_METRICS_DISABLED`, set before the handlers load).
 */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'aftercare' });

/** Anything that counts: the process's Metrics, or a test's recorder. */
export interface Counter {
  count(name: MetricName, value?: number): void;
}

export const counter: Counter = {
  count: (name, value = 1) => metrics.addMetric(name, MetricUnit.Count, value),
};
