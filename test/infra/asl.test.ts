import { readdirSync, readFileSync } from 'node:fs';
import validateAsl from 'asl-validator';
import { stateMachines } from '@infra/resources';
import { COMPLETION_SIGNALS } from '@shared/workflows/complete-step';

/** The ASL files themselves: valid ASL, and in agreement with the resource description. */

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** Every string in a parsed ASL document, keys included (a substitution can land in either). */
function* stringsIn(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* stringsIn(item);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      yield key;
      yield* stringsIn(item);
    }
  }
}

function placeholdersOf(definition: unknown): string[] {
  return [...new Set([...stringsIn(definition)].flatMap((text) => [...text.matchAll(PLACEHOLDER)].map((match) => match[1]!)))].sort();
}

describe.each(Object.entries(stateMachines))('the %s workflow file', (_id, spec) => {
  const definition: unknown = JSON.parse(readFileSync(spec.file, 'utf8'));

  it('has a substitution for every placeholder, and a placeholder for every substitution', () => {
    expect(placeholdersOf(definition)).toEqual(Object.keys(spec.functionArnSubstitutions).sort());
  });

  it('uses its placeholders only as the FunctionName of Lambda tasks', () => {
    const states = Object.values((definition as { States: Record<string, { Parameters?: { FunctionName?: unknown } }> }).States);
    const functionNames = states.map((state) => state.Parameters?.FunctionName).filter((name): name is string => typeof name === 'string');
    expect(placeholdersOf(functionNames)).toEqual(placeholdersOf(definition));
  });
});

interface WaitingState {
  readonly Resource: string;
  readonly Next: string;
  readonly Catch: readonly { readonly ErrorEquals: readonly string[]; readonly Next: string }[];
}

describe.each(readdirSync('workflows').filter((file) => file.endsWith('.asl.json')))('the waiting state of workflows/%s', (file) => {
  const states = (JSON.parse(readFileSync(`workflows/${file}`, 'utf8')) as { States: Record<string, WaitingState> }).States;
  const waiting = Object.entries(states).filter(([, state]) => state.Resource?.endsWith('.waitForTaskToken'));
  const catchOf = (error: string) => waiting[0]![1].Catch.find((handler) => handler.ErrorEquals.includes(error))?.Next;

  it('is the one waiting state, and goes on to itself when a completion succeeds', () => {
    expect(waiting.map(([name, state]) => [name, state.Next])).toEqual([['AwaitStep', 'AwaitStep']]);
  });

  it('routes each signal a completion can fail it with: a closed ticket to Done, a breach notice owed to planning again', () => {
    expect(catchOf(COMPLETION_SIGNALS.ticketClosed)).toBe('Done');
    expect(catchOf(COMPLETION_SIGNALS.breachNoticeOwed)).toBe('PlanNextStep');
    expect(catchOf('States.Timeout')).toBe('RecordDeadline');
  });
});

describe.each(readdirSync('workflows').filter((file) => file.endsWith('.asl.json')))('workflows/%s', (file) => {
  it('passes asl-validator', () => {
    // Placeholders become well-formed Lambda ARNs, as they will be once CloudFormation substitutes them.
    const text = readFileSync(`workflows/${file}`, 'utf8').replace(PLACEHOLDER, 'arn:aws:lambda:eu-west-1:123456789012:function:$1');
    const result = validateAsl(JSON.parse(text));
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });
});
