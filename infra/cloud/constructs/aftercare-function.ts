import { basename, join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionSpec } from '@infra/resources';
import { LOG_RETENTION } from './log-retention';

/** Names the service in every Powertools log line, metric and trace. */
export const POWERTOOLS_SERVICE_NAME = 'aftercare';

/**
 * esbuild runs from node_modules (no Docker). ESM output, because the project and middy are
 * ESM; the banner gives CommonJS dependencies the `require` that ESM lacks.
 *
 * The AWS SDK is bundled, not taken from the runtime: the functions then run the SDK
 * version the tests ran (the runtime's copy changes under us when Lambda updates it), and
 * the tree-shaken, minified clients usually load faster at cold start than the runtime's.
 * Source maps without the sources' text: enough to map stack traces, at a quarter of the size.
 */
const BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node22',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  bundleAwsSDK: true,
  // ESM entry points first, so esbuild can tree-shake packages that ship both.
  mainFields: ['module', 'main'],
  tsconfig: 'tsconfig.json',
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
};

/**
 * One Aftercare Lambda with the defaults every function shares: Node 22 on ARM64 (cheaper
 * per GB-second than x86), X-Ray tracing, its own log group with a retention, and an ESM
 * esbuild bundle of `spec.entry` exporting `handler`.
 *
 * The role is the function's own and may write only to that log group: the
 * `AWSLambdaBasicExecutionRole` managed policy would allow every log group in the account.
 * Access to data is added afterwards with `grantAccess`, which also sets the variables.
 */
export class AftercareFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, spec: FunctionSpec) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: LOG_RETENTION, removalPolicy: RemovalPolicy.RETAIN });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${spec.entry}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: spec.entry,
      handler: 'handler',
      description: spec.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME,
        // Stack traces in the logs point at the TypeScript sources through the source maps.
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: spec.assets?.length ? { ...BUNDLING, commandHooks: copyAssets(spec.assets) } : BUNDLING,
    });
  }
}

/**
 * Copies package files a function reads at run time (the docs page's Swagger UI files) next
 * to its bundle, from the project's node_modules: esbuild bundles code, not files read
 * from disk. Runs at synth, offline.
 */
function copyAssets(assets: readonly string[]): ICommandHooks {
  const projectRoot = process.cwd();
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) =>
      assets.map((asset) => `cp "${join(projectRoot, 'node_modules', asset)}" "${join(outputDir, basename(asset))}"`),
  };
}
