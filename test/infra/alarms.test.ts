import { functions, queues, stateMachines, tables } from '@infra/resources';
import { METRIC_NAMES, METRICS_NAMESPACE } from '@shared/observability/metrics';
import { BREACH_SURGE_THRESHOLD } from '../../infra/cloud/constructs/alarms';
import { logicalIdOf, refersTo, synthesize } from './synth';

/** The operational alarms: each resource that can fail quietly has one, and each goes to the encrypted alarm topic. */
const { stack, template } = synthesize();
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
const alarms = Object.values(resources).filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm');
const topicId = logicalIdOf(stack.alarms.topic);
const dataKeyId = logicalIdOf(stack.dataKey);

/** Alarms on a metric whose dimensions point at `logicalId`. */
const alarmsOn = (metricName: string, logicalId: string) =>
  alarms.filter((alarm) => {
    const text = JSON.stringify(alarm.Properties);
    return text.includes(`"${metricName}"`) && refersTo(alarm.Properties, logicalId);
  });

describe('the alarm topic', () => {
  it('is encrypted with the data key and refuses publishing without TLS', () => {
    expect(refersTo(resources[topicId]!.Properties.KmsMasterKeyId, dataKeyId)).toBe(true);
    const policies = Object.values(resources).filter((resource) => resource.Type === 'AWS::SNS::TopicPolicy');
    expect(policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement)).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('receives every alarm', () => {
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) expect(refersTo(alarm.Properties.AlarmActions, topicId)).toBe(true);
  });
});

describe('alarms', () => {
  it.each(Object.keys(queues))('on any message in the %s dead-letter queue', (queueId) => {
    const found = alarmsOn('ApproximateNumberOfMessagesVisible', logicalIdOf(stack.queues[queueId as keyof typeof queues].deadLetterQueue));
    expect(found.map((alarm) => [alarm.Properties.Threshold, alarm.Properties.ComparisonOperator])).toEqual([[1, 'GreaterThanOrEqualToThreshold']]);
  });

  it.each(Object.keys(stateMachines))('on failed and timed-out %s executions', (machineId) => {
    const machine = logicalIdOf(stack.stateMachines[machineId as keyof typeof stateMachines]);
    expect(alarmsOn('ExecutionsFailed', machine)).toHaveLength(1);
    expect(alarmsOn('ExecutionsTimedOut', machine)).toHaveLength(1);
  });

  it.each(Object.keys(functions))('on throttles of %s', (functionId) => {
    expect(alarmsOn('Throttles', logicalIdOf(stack.functions[functionId as keyof typeof functions].function))).toHaveLength(1);
  });

  it.each(Object.keys(tables))('on throttled requests to the %s table', (tableId) => {
    expect(alarmsOn('ThrottledRequests', logicalIdOf(stack.tables[tableId as keyof typeof tables]))).toHaveLength(1);
  });

  /** Alarms on one of Aftercare's own counts (Powertools Metrics, under the service dimension): namespace, dimensions, statistic, period, threshold. */
  const onCount = (name: string) =>
    alarms
      .filter((alarm) => alarm.Properties.MetricName === name)
      .map((alarm) => [alarm.Properties.Namespace, alarm.Properties.Dimensions, alarm.Properties.Statistic, alarm.Properties.Period, alarm.Properties.Threshold]);
  const service = [{ Name: 'service', Value: 'aftercare' }];

  it('on a surge of deadline breaches, counted by record-deadline', () => {
    expect(onCount(METRIC_NAMES.slaBreaches)).toEqual([[METRICS_NAMESPACE, service, 'Sum', 900, BREACH_SURGE_THRESHOLD]]);
    expect(Object.values(resources).filter((resource) => resource.Type === 'AWS::Logs::MetricFilter')).toEqual([]);
  });

  it('on any workflow the reconciler repaired', () => {
    expect(onCount(METRIC_NAMES.workflowRepairs)).toEqual([[METRICS_NAMESPACE, service, 'Sum', 300, 1]]);
  });

  it('on any callback given up', () => {
    expect(onCount(METRIC_NAMES.callbacksGivenUp)).toEqual([[METRICS_NAMESPACE, service, 'Sum', 300, 1]]);
  });
});
