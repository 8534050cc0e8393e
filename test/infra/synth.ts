import { readFileSync } from 'node:fs';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { AftercareStack } from '../../infra/cloud/aftercare-stack';
import { STACK_NAME } from '../../infra/cloud/create-app';

/** The synthesized app, its stack and the stack's template. */
export interface Synthesized {
  readonly app: App;
  readonly stack: AftercareStack;
  readonly template: Template;
}

/**
 * The context `cdk synth` gives the app (cdk.json's feature flags, so the tests check the
 * template that deploys), with asset bundling skipped: esbuild is not what these tests check.
 */
export const TEST_CONTEXT: Record<string, unknown> = {
  ...(JSON.parse(readFileSync('cdk.json', 'utf8')) as { context: Record<string, unknown> }).context,
  'aws:cdk:bundling-stacks': [],
};

/**
 * The stack alone, synthesized without what these tests do not look at: function bundling,
 * CDK's CloudFormation validation and cdk-nag. cdk-nag.test.ts checks the app as `cdk synth`
 * builds it; here a nag finding would hide the assertion that explains it.
 */
export function synthesize(): Synthesized {
  const app = new App({ context: TEST_CONTEXT, builtinCloudFormationValidation: false });
  const stack = new AftercareStack(app, STACK_NAME);
  return { app, stack, template: Template.fromStack(stack) };
}

/** The CloudFormation logical id of an L2 construct's main resource. */
export function logicalIdOf(construct: IConstruct): string {
  const stack = construct.node.scopes.find((scope): scope is AftercareStack => 'getLogicalId' in scope);
  if (!stack) throw new Error(`${construct.node.path} is not in a stack`);
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

/** Whether a template value (a Ref, a GetAtt, a Join of them) points at the resource `logicalId`. */
export function refersTo(value: unknown, logicalId: string): boolean {
  const text = JSON.stringify(value) ?? '';
  return text.includes(`{"Ref":"${logicalId}"}`) || text.includes(`{"Fn::GetAtt":["${logicalId}",`);
}

/** One IAM policy statement, with its actions always as a list. */
export interface Statement {
  readonly actions: readonly string[];
  readonly resource: unknown;
}

/** Every statement of the policies attached to the role `roleLogicalId`; all of them must be Allow. */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as {
    Properties: { Roles: unknown[]; PolicyDocument: { Statement: Record<string, unknown>[] } };
  }[];
  return policies
    .filter((policy) => policy.Properties.Roles.some((role) => refersTo(role, roleLogicalId)))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
    .map((raw) => {
      expect(raw.Effect).toBe('Allow');
      return { actions: [raw.Action as string | string[]].flat(), resource: raw.Resource };
    });
}

/** The actions `statements` allow on the resource `logicalId` or its sub-resources (indexes, versions), sorted. */
export function actionsOn(statements: readonly Statement[], logicalId: string): string[] {
  return [...new Set(statements.filter((statement) => refersTo(statement.resource, logicalId)).flatMap((statement) => statement.actions))].sort();
}
