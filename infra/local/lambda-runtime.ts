import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import type { FunctionId, FunctionSpec } from '@infra/resources';
import type { ActivityTracker } from './activity';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './aws/local-aws-environment';

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

interface LoadedFunction {
  readonly id: FunctionId;
  readonly name: string;
  readonly arn: string;
  readonly spec: FunctionSpec;
  readonly handler: LambdaHandler;
}

/** The error a failed invocation rejects with: its name is the handler error's, as Lambda reports `errorType`. */
export class LambdaInvocationError extends Error {
  constructor(errorType: string, message: string) {
    super(message);
    this.name = errorType;
  }
}

/**
 * Runs the Lambda handlers in this process, the way the Lambda service calls them: the
 * module's exported `handler`, an event that went through JSON (so no shared objects), a
 * context object, and a result that goes through JSON again.
 */
export class LocalLambdaRuntime {
  private readonly byArn = new Map<string, LoadedFunction>();
  private readonly byId = new Map<FunctionId, LoadedFunction>();

  constructor(
    private readonly activity: ActivityTracker,
    private readonly functionName: (id: FunctionId) => string,
  ) {}

  /** The ARN a function has locally (what state machine substitutions and event sources use). */
  arnOf(id: FunctionId): string {
    return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${this.functionName(id)}`;
  }

  /**
   * Imports each function's module. Call after the environment is set: handlers read their
   * configuration once, at module load, as they do on a Lambda cold start.
   */
  async load(specs: Readonly<Record<FunctionId, FunctionSpec>>): Promise<void> {
    for (const [id, spec] of Object.entries(specs) as [FunctionId, FunctionSpec][]) {
      // An absolute path (not a file: URL) so that both Node's ESM loader and jest's require accept it.
      const module = (await import(resolve(spec.entry))) as { handler?: unknown };
      if (typeof module.handler !== 'function') throw new Error(`${spec.entry} does not export a handler function`);
      const loaded: LoadedFunction = {
        id,
        name: this.functionName(id),
        arn: this.arnOf(id),
        spec,
        handler: module.handler as LambdaHandler,
      };
      this.byArn.set(loaded.arn, loaded);
      this.byId.set(id, loaded);
    }
  }

  /** Invokes a function by id, name or ARN (a qualified ARN's version or alias is ignored). */
  async invoke(target: string, event: unknown): Promise<unknown> {
    const fn = this.find(target);
    const payload = JSON.parse(JSON.stringify(event ?? null)) as unknown;
    return this.activity.run(async () => {
      try {
        const result = await fn.handler(payload, contextFor(fn));
        return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as unknown);
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        throw new LambdaInvocationError(failure.name || 'Error', failure.message);
      }
    });
  }

  private find(target: string): LoadedFunction {
    const unqualified = target.split(':').slice(0, 7).join(':');
    const fn =
      this.byArn.get(unqualified) ??
      this.byId.get(target as FunctionId) ??
      [...this.byId.values()].find((candidate) => candidate.name === target);
    if (!fn) throw new LambdaInvocationError('ResourceNotFoundException', `Function not found: ${target}`);
    return fn;
  }
}

function contextFor(fn: LoadedFunction): Context {
  const deadline = Date.now() + fn.spec.timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: fn.arn,
    memoryLimitInMB: String(fn.spec.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${fn.name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
