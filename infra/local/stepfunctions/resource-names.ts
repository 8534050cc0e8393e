import { StepFunctionsApiError } from './api-error';

/**
 * AWS's rule for state machine and execution names: 1 to 80 characters, none of whitespace,
 * brackets, wildcards, the special characters below, or control characters.
 */
const NAME_PATTERN = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

/** Throws InvalidName for a name AWS would refuse. */
export function checkName(name: string): void {
  if (!NAME_PATTERN.test(name)) throw new StepFunctionsApiError('InvalidName', `Invalid Name: '${name}'`);
}

/** Builds the ARNs of the service's region and account. */
export class ArnBuilder {
  constructor(
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  stateMachine(name: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
  }

  execution(stateMachineName: string, executionName: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:execution:${stateMachineName}:${executionName}`;
  }

  defaultRole(stateMachineName: string): string {
    return `arn:aws:iam::${this.accountId}:role/${stateMachineName}-role`;
  }
}

/** Throws InvalidArn unless `arn` looks like a Step Functions ARN of the given resource type. */
export function checkArn(arn: string, resourceType: 'stateMachine' | 'execution'): void {
  const parts = arn.split(':');
  const shaped = parts.length >= 7 && parts[0] === 'arn' && parts[2] === 'states' && parts[5] === resourceType;
  if (!shaped) throw new StepFunctionsApiError('InvalidArn', `Invalid Arn: '${arn}'`);
}
