import { readFileSync } from 'node:fs';
import { RemovalPolicy } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { FunctionId, StateMachineSpec } from '@infra/resources';
import { entriesOf } from '../names';
import { LOG_RETENTION } from './log-retention';

/** `${Name}` as CloudFormation's DefinitionSubstitutions replaces it, anywhere in the file. */
const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/**
 * Fails synthesis when the ASL file and its spec disagree: a placeholder left without a
 * substitution would only fail at deploy time, and an unused substitution means the file and
 * the description have drifted apart.
 */
function checkPlaceholders(spec: StateMachineSpec): void {
  const inFile = new Set([...readFileSync(spec.file, 'utf8').matchAll(PLACEHOLDER)].map((match) => match[1]!));
  const described = new Set(Object.keys(spec.functionArnSubstitutions));
  const missing = [...inFile].filter((name) => !described.has(name));
  const unused = [...described].filter((name) => !inFile.has(name));
  if (missing.length || unused.length) {
    throw new Error(
      `${spec.file} and infra/resources.ts disagree: ` +
        [missing.length && `no substitution for ${missing.join(', ')}`, unused.length && `unused substitutions ${unused.join(', ')}`]
          .filter(Boolean)
          .join('; '),
    );
  }
}

/**
 * The state machine `${name}StateMachine`, deployed from its ASL file (the only definition:
 * the local engine runs the same file) with each `${Placeholder}` replaced by the ARN of the
 * function the spec names, and allowed to invoke exactly those functions.
 *
 * STANDARD: executions wait for people for days, past Express's five minutes. Logging is
 * ALL events without execution data: one small line per event costs a few percent of the
 * transitions themselves, and leaving out inputs and outputs keeps ticket content out of the
 * logs (Step Functions keeps each execution's full history, with data, for 90 days after it ends).
 */
export function createWorkflowStateMachine(
  scope: Construct,
  name: string,
  spec: StateMachineSpec,
  functions: Readonly<Record<FunctionId, IFunction>>,
): StateMachine {
  checkPlaceholders(spec);
  const machine = new StateMachine(scope, `${name}StateMachine`, {
    definitionBody: DefinitionBody.fromFile(spec.file),
    definitionSubstitutions: Object.fromEntries(
      entriesOf(spec.functionArnSubstitutions).map(([placeholder, functionId]) => [placeholder, functions[functionId].functionArn]),
    ),
    stateMachineType: StateMachineType.STANDARD,
    tracingEnabled: true,
    logs: {
      destination: new LogGroup(scope, `${name}StateMachineLogs`, { retention: LOG_RETENTION, removalPolicy: RemovalPolicy.RETAIN }),
      level: LogLevel.ALL,
      includeExecutionData: false,
    },
  });
  // The ASL invokes the unqualified ARNs, so the role needs no rights on versions or aliases.
  for (const functionId of new Set(Object.values(spec.functionArnSubstitutions))) {
    functions[functionId].grantInvokeLatestVersion(machine);
  }
  return machine;
}
