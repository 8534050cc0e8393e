import { logicalIdOf, refersTo, statementsOfRole, synthesize } from './synth';

/** The return workflow and the marketplace callbacks in the stack: named cases beside the generic per-resource checks. */
const { stack, template } = synthesize();
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
const functionId = (id: keyof typeof stack.functions) => logicalIdOf(stack.functions[id].function);

describe('the return workflow', () => {
  it('is deployed from workflows/return.asl.json, invoking the plan, await and record steps', () => {
    const machine = resources[logicalIdOf(stack.stateMachines.return)]!;
    expect(machine.Type).toBe('AWS::StepFunctions::StateMachine');
    expect(Object.keys(machine.Properties.DefinitionSubstitutions).sort()).toEqual(['AwaitAgentFunctionArn', 'PlanNextStepFunctionArn', 'RecordDeadlineFunctionArn']);
  });

  it('may be started by apply-event and answered by act-on-ticket', () => {
    const arnOf = logicalIdOf(stack.stateMachines.return);
    const actionsOf = (fn: 'apply-event' | 'act-on-ticket') =>
      statementsOfRole(template, logicalIdOf(stack.functions[fn].role))
        .filter((statement) => refersTo(statement.resource, arnOf))
        .flatMap((statement) => statement.actions);
    expect(actionsOf('apply-event')).toContain('states:StartExecution');
    expect(actionsOf('act-on-ticket')).toContain('states:SendTaskSuccess');
  });
});

describe('the callbacks', () => {
  it('relay every minute on an EventBridge schedule', () => {
    const rules = Object.values(resources).filter(
      (resource) => resource.Type === 'AWS::Events::Rule' && JSON.stringify(resource.Properties.Targets).includes(functionId('relay-callbacks')),
    );
    expect(rules.map((rule) => rule.Properties.ScheduleExpression)).toEqual(['rate(1 minute)']);
  });

  it('go through their own queue with a dead-letter queue, consumed by deliver-callback', () => {
    const queue = resources[logicalIdOf(stack.queues.callbacks.queue)]!;
    expect(queue.Properties.RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
    const mappings = Object.values(resources).filter((resource) => resource.Type === 'AWS::Lambda::EventSourceMapping' && refersTo(resource.Properties.FunctionName, functionId('deliver-callback')));
    expect(mappings).toHaveLength(1);
    expect(refersTo(mappings[0]!.Properties.EventSourceArn, logicalIdOf(stack.queues.callbacks.queue))).toBe(true);
  });
});
