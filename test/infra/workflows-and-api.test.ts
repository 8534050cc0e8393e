import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction, InlineCode, Runtime } from 'aws-cdk-lib/aws-lambda';
import { routes, stateMachines, type FunctionId, type RouteSpec, type StateMachineId } from '@infra/resources';
import { createHttpApi } from '../../infra/cloud/constructs/http-api';
import { createWorkflowStateMachine } from '../../infra/cloud/constructs/workflow-state-machine';
import { actionsOn, logicalIdOf, refersTo, statementsOfRole, synthesize } from './synth';

/** The state machines and the HTTP API, checked against infra/resources.ts and the ASL files. */
const { app, stack, template } = synthesize();
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
const parameters = template.toJSON().Parameters as Record<string, { Type: string }>;
const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);

describe.each(Object.keys(stateMachines) as StateMachineId[])('the %s state machine', (machineId) => {
  const spec = stateMachines[machineId];
  const machine = resources[logicalIdOf(stack.stateMachines[machineId])]!;
  const functionIdOf = (functionId: FunctionId) => logicalIdOf(stack.functions[functionId].function);

  it('is a STANDARD workflow with X-Ray tracing, logging every event without execution data', () => {
    expect(machine.Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
  });

  it('substitutes every placeholder with the ARN of the function the description names', () => {
    const substitutions = machine.Properties.DefinitionSubstitutions as Record<string, unknown>;
    expect(Object.keys(substitutions).sort()).toEqual(Object.keys(spec.functionArnSubstitutions).sort());
    for (const [placeholder, functionId] of Object.entries(spec.functionArnSubstitutions)) {
      expect(substitutions[placeholder]).toEqual({ 'Fn::GetAtt': [functionIdOf(functionId), 'Arn'] });
    }
  });

  it('after substitution, has no placeholder left and each Task invokes a described function', () => {
    // Apply DefinitionSubstitutions as CloudFormation does, with a marker naming each function.
    const substitutions = machine.Properties.DefinitionSubstitutions as Record<string, { 'Fn::GetAtt': [string, string] }>;
    // fromFile stages the ASL file as an asset (DefinitionS3Location); read it from the assembly.
    const stagedFile = join(app.outdir, `asset.${machine.Properties.DefinitionS3Location.Key}`);
    expect(readFileSync(stagedFile, 'utf8')).toBe(readFileSync(spec.file, 'utf8'));
    const definitionText = readFileSync(stagedFile, 'utf8').replace(/\$\{([A-Za-z0-9_]+)\}/g, (match, name: string) =>
      substitutions[name] ? `function:${substitutions[name]['Fn::GetAtt'][0]}` : match,
    );
    expect(definitionText).not.toContain('${');

    const definition = JSON.parse(definitionText) as { States: Record<string, { Type: string; Parameters?: { FunctionName?: string } }> };
    const invoked = Object.values(definition.States)
      .filter((state) => state.Type === 'Task')
      .map((state) => state.Parameters?.FunctionName);
    const described = [...new Set(Object.values(spec.functionArnSubstitutions))].map((functionId) => `function:${functionIdOf(functionId)}`);
    expect(new Set(invoked)).toEqual(new Set(described));
  });

  it('may invoke exactly those functions, and nothing else in Lambda', () => {
    const statements = statementsOfRole(template, logicalIdOf(stack.stateMachines[machineId].role));
    const lambdaStatements = statements.filter((statement) => statement.actions.some((action) => action.startsWith('lambda:')));
    const described = new Set(Object.values(spec.functionArnSubstitutions));
    for (const functionId of Object.keys(stack.functions) as FunctionId[]) {
      expect({ functionId, actions: actionsOn(lambdaStatements, functionIdOf(functionId)) }).toEqual({
        functionId,
        actions: described.has(functionId) ? ['lambda:InvokeFunction'] : [],
      });
    }
    expect(lambdaStatements.every((statement) => Object.values(stack.functions).some((fn) => refersTo(statement.resource, logicalIdOf(fn.function))))).toBe(true);
  });
});

describe('createWorkflowStateMachine', () => {
  const fixture = () => {
    const scope = new Stack(new App(), 'Fixture');
    const fn = new LambdaFunction(scope, 'Fn', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: new InlineCode('export {}') });
    const directory = mkdtempSync(join(tmpdir(), 'asl-'));
    const file = join(directory, 'flow.asl.json');
    writeFileSync(file, JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: '${AFunctionArn}' }, End: true } } }));
    return { scope, file, functions: { 'get-openapi': fn } as unknown as Record<FunctionId, LambdaFunction> };
  };

  it('stops synthesis when the ASL file has a placeholder the description does not substitute', () => {
    const { scope, file, functions } = fixture();
    expect(() => createWorkflowStateMachine(scope, 'Flow', { file, envVar: 'X', functionArnSubstitutions: {} }, functions)).toThrow(
      /no substitution for AFunctionArn/,
    );
  });

  it('stops synthesis when the description substitutes a placeholder the ASL file does not have', () => {
    const { scope, file, functions } = fixture();
    const spec = { file, envVar: 'X', functionArnSubstitutions: { AFunctionArn: 'get-openapi', BFunctionArn: 'get-openapi' } } as const;
    expect(() => createWorkflowStateMachine(scope, 'Flow', spec, functions)).toThrow(/unused substitutions BFunctionArn/);
  });
});

describe('the HTTP API', () => {
  const deployed = ofType('AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties);
  const [authorizerId, authorizer] = ofType('AWS::ApiGatewayV2::Authorizer')[0]!;
  const integrations = Object.fromEntries(ofType('AWS::ApiGatewayV2::Integration'));

  it('has exactly the described routes, none of them under /_local', () => {
    expect(deployed.map((route) => route.RouteKey).sort()).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
    expect(deployed.filter((route) => String(route.RouteKey).split(' ')[1]!.startsWith('/_local'))).toEqual([]);
  });

  it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))('%s reaches its function with its authorization', (routeKey, spec) => {
    const route = deployed.find((candidate) => candidate.RouteKey === routeKey)!;
    if (spec.auth === 'jwt') {
      expect(route.AuthorizationType).toBe('JWT');
      expect(refersTo(route.AuthorizerId, authorizerId)).toBe(true);
    } else {
      expect(route.AuthorizationType).toBe('NONE');
      expect(route.AuthorizerId).toBeUndefined();
    }
    const integrationId = String(route.Target['Fn::Join'][1][1].Ref);
    expect(integrations[integrationId]!.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    expect(refersTo(integrations[integrationId]!.Properties.IntegrationUri, logicalIdOf(stack.functions[spec.function].function))).toBe(true);
  });

  it('verifies JWTs against the JwtIssuer and JwtAudience parameters', () => {
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: { Ref: 'JwtIssuer' }, Audience: [{ Ref: 'JwtAudience' }] },
    });
    expect(parameters.JwtIssuer).toMatchObject({ Type: 'String' });
    expect(parameters.JwtAudience).toMatchObject({ Type: 'String' });
  });

  it('logs access on the $default stage and throttles it', () => {
    const stages = ofType('AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const [, stage] = stages[0]!;
    expect(stage.Properties).toMatchObject({ StageName: '$default', AutoDeploy: true });
    expect(refersTo(stage.Properties.AccessLogSettings.DestinationArn, logicalIdOf(stack.httpApi.accessLogs))).toBe(true);
    expect(JSON.parse(stage.Properties.AccessLogSettings.Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: expect.any(Number), ThrottlingBurstLimit: expect.any(Number) });
  });

  it('refuses to deploy a /_local route', () => {
    const scope = new Stack(new App(), 'Fixture');
    const fn = new LambdaFunction(scope, 'Fn', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: new InlineCode('export {}') });
    const localRoute: RouteSpec = { method: 'POST', path: '/_local/clock/advance', function: 'get-openapi', auth: 'none' };
    expect(() =>
      createHttpApi(scope, { routes: [localRoute], functions: { 'get-openapi': fn } as never, jwtIssuer: 'https://issuer.example', jwtAudience: 'aftercare' }),
    ).toThrow(/_local routes exist only in the local runtime/);
  });
});
