import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations, type Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AftercareStack } from '../../infra/cloud/aftercare-stack';
import { createApp, STACK_NAME } from '../../infra/cloud/create-app';
import { TEST_CONTEXT } from './synth';

/**
 * cdk-nag's AwsSolutions pack and CDK's own CloudFormation validation over the app as
 * `cdk synth` builds it. cdk-nag 3 is a policy-validation plugin: a finding, error or warning,
 * that nobody acknowledged makes synthesis throw; it no longer writes Annotations.
 */

/** Every acknowledgment recorded in the tree: where, which finding, and why. */
function acknowledgmentsIn(stack: Stack): { path: string; id: string; reason: string }[] {
  return stack.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''), // CDK files rule ids of no known plugin under 'Annotation::'
          reason,
        })),
      ),
  );
}

describe('the app as cdk synth builds it', () => {
  const { app, stack } = createApp({ context: TEST_CONTEXT });
  let synthesisError: unknown;
  try {
    app.synth();
  } catch (error) {
    synthesisError = error;
  }

  it('synthesizes: cdk-nag and the CloudFormation validation pass', () => {
    expect(synthesisError).toBeUndefined();
  });

  it('leaves no AwsSolutions finding unacknowledged, neither error nor warning', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
    expect(report.violations.map((violation) => `${violation.severity} ${violation.ruleName}`)).toEqual([]);
  });

  it('has no validation plugin report in the assembly (CloudFormation validation turns its errors into warnings there)', () => {
    const reportFile = join(app.outdir, 'validation-report.json');
    expect(existsSync(reportFile)).toBe(true);
    expect((JSON.parse(readFileSync(reportFile, 'utf8')) as { pluginReports: unknown[] }).pluginReports).toEqual([]);
  });

  it('carries no warning or error annotation (deprecated APIs, misconfigurations CDK detects)', () => {
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('gives every acknowledgment an AwsSolutions finding id and a reason', () => {
    const acknowledged = acknowledgmentsIn(stack);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledged) {
      expect({ path, id }).toEqual({ path, id: expect.stringMatching(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/) });
      expect({ path, id, reason: reason.length >= 40 }).toEqual({ path, id, reason: true });
    }
  });

  it('acknowledges only findings that exist, on the construct that has them', () => {
    // The same stack without acknowledgments shows every finding there is.
    const bare = new App({ context: TEST_CONTEXT, builtinCloudFormationValidation: false });
    new AftercareStack(bare, STACK_NAME, { acknowledgeNagFindings: false });
    bare.synth();
    const findings = new AwsSolutionsChecks(undefined).validateScope(bare).violations;
    const stale = acknowledgmentsIn(stack).filter(
      ({ path, id }) =>
        !findings.some(
          (finding) => finding.ruleName === id && finding.violatingResources.some(({ constructPath }) => `${constructPath}/`.startsWith(`${path}/`)),
        ),
    );
    expect(stale).toEqual([]);
  });
});

describe('cdk-nag in the app', () => {
  it('stops synthesis on a finding nobody acknowledged', () => {
    const { stack } = createApp({ context: TEST_CONTEXT, builtinCloudFormationValidation: false });
    new Queue(stack, 'Careless', { encryption: QueueEncryption.UNENCRYPTED });
    expect(() => Template.fromStack(stack)).toThrow(/AwsSolutions-SQS/);
  });
});
