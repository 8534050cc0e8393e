import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AftercareStack } from '../../infra/cloud/aftercare-stack';

/** Synthesizes with the cdk-nag AwsSolutions pack; synthesis fails on any finding not acknowledged. */
function synthesizeWithNag(build: (app: App) => Stack): () => void {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  build(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return () => app.synth();
}

/** Every acknowledgment recorded in the construct tree (CDK keeps them as `{ ruleId: reason }` metadata). */
function acknowledgments(stack: Stack): { id: string; reason: string }[] {
  const found: { id: string; reason: string }[] = [];
  for (const construct of stack.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) found.push({ id, reason: String(reason ?? '') });
    }
  }
  return found;
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in the stack', () => {
    expect(synthesizeWithNag((app) => new AftercareStack(app, 'Aftercare'))).not.toThrow();
  });

  it('would fail synthesis on a finding nobody acknowledged', () => {
    const synth = synthesizeWithNag((app) => {
      const stack = new Stack(app, 'Careless');
      new Queue(stack, 'Unencrypted', { encryption: undefined });
      return stack;
    });
    expect(synth).toThrow();
  });

  it('gives every acknowledgment a reason', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new AftercareStack(app, 'Aftercare');
    const acknowledged = acknowledgments(stack);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { id, reason } of acknowledged) {
      expect(id).toMatch(/AwsSolutions-[A-Z]+\d+/);
      expect(reason.length).toBeGreaterThan(20);
    }
  });
});
