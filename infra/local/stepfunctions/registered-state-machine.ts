import type { StateMachine } from 'aws-local-stepfunctions';
import type { RewrittenDefinition } from './rewrite-definition';

/** A state machine the service knows, as registered. */
export interface RegisteredStateMachine {
  readonly arn: string;
  readonly name: string;
  readonly roleArn: string;
  /** The definition text as given (placeholders substituted), for DescribeStateMachine. */
  readonly definitionText: string;
  readonly rewritten: RewrittenDefinition;
  /** The library's state machine over the rewritten definition. */
  readonly engine: StateMachine;
  readonly creationDateMs: number;
}
