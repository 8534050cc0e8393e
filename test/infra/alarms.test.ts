import { functions, queues, stateMachines, tables } from '@infra/resources';
import { METRIC_NAMES, METRICS_NAMESPACE } from '@shared/observability/metrics';
import { BREACH_METRIC, BREACH_SURGE_THRESHOLD } from '../../infra/cloud/constructs/alarms';
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

  it('on a surge of deadline breaches, counted from record-deadline\'s breach log lines', () => {
    const filters = Object.values(resources).filter((resource) => resource.Type === 'AWS::Logs::MetricFilter');
    expect(filters).toHaveLength(1);
    expect(refersTo(filters[0]!.Properties.LogGroupName, logicalIdOf(stack.functions['record-deadline'].logGroup))).toBe(true);
    expect(filters[0]!.Properties).toMatchObject({
      FilterPattern: '{ $.message = "deadline breached" }',
      MetricTransformations: [{ MetricNamespace: BREACH_METRIC.namespace, MetricName: BREACH_METRIC.name, MetricValue: '1' }],
    });
    const surge = alarms.filter((alarm) => alarm.Properties.MetricName === BREACH_METRIC.name);
    expect(surge.map((alarm) => [alarm.Properties.Namespace, alarm.Properties.Threshold])).toEqual([[BREACH_METRIC.namespace, BREACH_SURGE_THRESHOLD]]);
  });

  it('on any workflow the reconciler repaired, counted by Powertools Metrics under the service dimension', () => {
    const repairs = alarms.filter((alarm) => alarm.Properties.MetricName === METRIC_NAMES.workflowRepairs);
    expect(repairs.map((alarm) => [alarm.Properties.Namespace, alarm.Properties.Dimensions, alarm.Properties.Statistic, alarm.Properties.Threshold])).toEqual([
      [METRICS_NAMESPACE, [{ Name: 'service', Value: 'aftercare' }], 'Sum', 1],
    ]);
  });
});
