import { readFileSync } from 'node:fs';
import { stateMachines } from '@infra/resources';
import { substitutePlaceholders } from '../../infra/local/substitute-placeholders';
import { FN } from '../unit/local/stepfunctions/harness';

/** A workflow file with its placeholders as the fake functions' ARNs (`${FN}<function id>`), substituted as the local stack does. */
export function workflowDefinition(id: keyof typeof stateMachines): object {
  const spec = stateMachines[id];
  const arns = Object.fromEntries(Object.entries(spec.functionArnSubstitutions).map(([name, functionId]) => [name, `${FN}${functionId}`]));
  return JSON.parse(substitutePlaceholders(readFileSync(spec.file, 'utf8'), arns, spec.file)) as object;
}
