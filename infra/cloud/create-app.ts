import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AftercareStack, type AftercareStackProps } from './aftercare-stack';

/** The stack's name in CloudFormation. */
export const STACK_NAME = 'Aftercare';

/**
 * The CDK app as `cdk synth` builds it: the Aftercare stack, environment-agnostic (no
 * account, region or context lookups, so synthesis needs neither network nor credentials),
 * checked by cdk-nag's AwsSolutions pack. Any finding not acknowledged, error or warning,
 * stops synthesis. Tests build the same app, with bundling skipped through `props.context`.
 */
export function createApp(props: AppProps = {}, stackProps: AftercareStackProps = {}): { app: App; stack: AftercareStack } {
  const app = new App(props);
  const stack = new AftercareStack(app, STACK_NAME, {
    description: 'Aftercare: marketplace complaint and after-sales workflows',
    ...stackProps,
  });
  // cdk-nag 3 runs as a policy-validation plugin (it replaced v2's Aspect and NagSuppressions).
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}
