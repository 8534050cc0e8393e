import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AftercareStack } from '../../infra/cloud/aftercare-stack';

/** Synthesizes the stack without bundling the functions (asset bundling is not what these tests check). */
export function synthesize(): { app: App; stack: Stack; template: Template } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new AftercareStack(app, 'Aftercare');
  return { app, stack, template: Template.fromStack(stack) };
}

type Resources = Record<string, { Type: string; Properties?: any; DependsOn?: unknown }>;

/** Resources of one type, by logical id. */
export function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** Every IAM action a function's role holds, with the resources of each statement. */
export function statementsOfFunction(template: Template, functionConstructId: string): { actions: string[]; resource: string }[] {
  const policies = resourcesOf(template, 'AWS::IAM::Policy');
  const statements: { actions: string[]; resource: string }[] = [];
  for (const [logicalId, policy] of Object.entries(policies)) {
    if (!logicalId.startsWith(`${functionConstructId}FunctionServiceRoleDefaultPolicy`)) continue;
    for (const statement of policy.Properties.PolicyDocument.Statement) {
      const actions = [statement.Action].flat();
      statements.push({ actions, resource: JSON.stringify(statement.Resource) });
    }
  }
  return statements;
}
