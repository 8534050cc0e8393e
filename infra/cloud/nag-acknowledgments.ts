import { Validations, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { functions, streamConsumers, tables, type FunctionId } from '@infra/resources';
import type { AftercareStack } from './aftercare-stack';
import { entriesOf } from './names';

/**
 * Every cdk-nag AwsSolutions finding the stack accepts, each on the narrowest construct and
 * with its reason, in one place for review. cdk-nag 3 uses CDK's own
 * `Validations.of(...).acknowledge()` (v2's NagSuppressions is gone) and wants each finding
 * acknowledged by its exact id, e.g. `AwsSolutions-IAM5[Resource::*]`.
 *
 * test/infra/cdk-nag.test.ts fails when a finding is left unacknowledged and when an
 * acknowledgment below no longer matches any finding, so this list cannot go stale.
 */
export function acknowledgeNagFindings(stack: AftercareStack): void {
  const acknowledge = (scope: IConstruct, id: string, reason: string) => Validations.of(scope).acknowledge({ id, reason });

  acknowledge(
    stack.marketplaceConfig,
    'AwsSolutions-SMG4',
    'The secret holds webhook secrets agreed with each marketplace; they are rotated with the marketplace by adding the new ' +
      'secret next to the old one (several are valid at once), which a rotation Lambda cannot do on its own.',
  );

  for (const [functionId, spec] of entriesOf(functions)) {
    const fn = stack.functions[functionId];
    acknowledge(
      fn,
      'AwsSolutions-L1',
      'Node.js 22 on purpose: the version the project pins, builds and tests with (package.json engines and the node package); ' +
        'nodejs22.x is supported by Lambda, and moving on is one line in AftercareFunction once the toolchain moves.',
    );
    const readsStream = streamConsumers.some((consumer) => consumer.function === functionId);
    acknowledge(
      fn,
      'AwsSolutions-IAM5[Resource::*]',
      'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions' +
        (readsStream ? '; nor does dynamodb:ListStreams, which the stream event source grants (reading the stream is on its ARN only).' : '.'),
    );

    // Writers of encrypted tables, queues and buckets get KMS data-key actions from CDK's grants.
    const writes =
      Object.values(spec.tables ?? {}).some((access) => access !== 'read') ||
      Object.keys(spec.queues ?? {}).length > 0 ||
      Object.values(spec.buckets ?? {}).some((access) => access !== 'read');
    if (writes) {
      for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
        acknowledge(
          fn,
          `AwsSolutions-IAM5[Action::${action}]`,
          `${action} on the stack's data key only (the resource is that key's ARN): the data-key actions needed to write ` +
            'items and messages encrypted with it, as CDK grants them for encrypted tables and queues.',
        );
      }
    }

    // Reading grants cover the table's indexes, which is where most access patterns Query.
    for (const [tableId, access] of entriesOf(spec.tables ?? {})) {
      if (access === 'append' || tables[tableId].indexes.length === 0) continue;
      acknowledge(
        fn,
        `AwsSolutions-IAM5[Resource::<${logicalIdOf(stack, stack.tables[tableId])}.Arn>/index/*]`,
        `The ${tableId} table's global secondary indexes (<table>/index/*), for the access patterns that Query them.`,
      );
    }

    // Execution ARNs are `<machine ARN with :execution:>:<name>`; the reconciler describes any execution of its machines.
    for (const [machineId, access] of entriesOf(spec.stateMachines ?? {})) {
      if (access !== 'reconcile') continue;
      const machineRef = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalIdOf(stack, stack.stateMachines[machineId])}"}]}]}`;
      acknowledge(
        fn,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${machineRef}:*]`,
        `states:DescribeExecution on the executions of the ${machineId} state machine (execution:<machine>:*): the reconciler ` +
          "reads why a ticket's execution ended; execution names are per ticket and generation, not known in advance.",
      );
    }

    // Checkpoints are one object per chain head, so object actions name the bucket's objects.
    for (const [bucketId, access] of entriesOf(spec.buckets ?? {})) {
      acknowledge(
        fn,
        `AwsSolutions-IAM5[Resource::<${logicalIdOf(stack, stack.buckets[bucketId].bucket)}.Arn>/*]`,
        `The objects of the ${bucketId} bucket (<bucket>/*): ${access === 'read' ? 's3:GetObject' : 's3:GetObject and s3:PutObject'} ` +
          'on checkpoint objects, one per chain head; never DeleteObject, and Object Lock (compliance mode) keeps what is written.',
      );
    }
  }

  for (const queue of Object.values(stack.streamFailureQueues)) {
    acknowledge(
      queue,
      'AwsSolutions-SQS3',
      'This queue is itself a dead-letter destination: the on-failure destination of a stream event source mapping, holding ' +
        'descriptions of records given up on (with an alarm on it); a DLQ of a DLQ would add nothing.',
    );
  }

  for (const machine of Object.values(stack.stateMachines)) {
    acknowledge(
      machine,
      'AwsSolutions-IAM5[Resource::*]',
      'Logging to CloudWatch Logs (logs:CreateLogDelivery and the other log-delivery actions) and X-Ray tracing: ' +
        'these actions support no resource-level permissions.',
    );
  }

  acknowledgeConsoleFindings(stack, acknowledge);

  for (const { spec, route } of stack.httpApi.routes) {
    const reason = spec.auth === 'none' ? OPEN_ROUTE_REASONS[spec.function] : undefined;
    // An open route without a reason here stays a finding and stops synthesis: someone must say why.
    if (reason) acknowledge(route, 'AwsSolutions-APIG4', reason);
  }
}

/** The ops console's CloudFront distribution, and the function CDK's BucketDeployment uploads it with. */
function acknowledgeConsoleFindings(stack: AftercareStack, acknowledge: (scope: IConstruct, id: string, reason: string) => void): void {
  const distribution = stack.console.distribution;
  acknowledge(
    distribution,
    'AwsSolutions-CFR1',
    'The console serves static files to customer-service teams wherever they work; every piece of data behind it ' +
      'comes from the API, which requires a JWT from the OIDC provider, so a country restriction would protect nothing.',
  );
  acknowledge(
    distribution,
    'AwsSolutions-CFR2',
    'The distribution serves only the console\'s static files from S3 (no origin to overload, no input it processes); ' +
      'the API it calls is throttled per stage and authorizes every request by JWT.',
  );
  acknowledge(
    distribution,
    'AwsSolutions-CFR4',
    'The stack is deployed without a domain of its own, so the distribution uses CloudFront\'s *.cloudfront.net ' +
      'certificate, whose security policy CloudFront fixes; an operator with a domain adds its ACM certificate and TLSv1.2_2021.',
  );

  // CDK's BucketDeployment runs one singleton function per stack, named after its construct.
  const uploader = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!uploader) throw new Error('the console\'s BucketDeployment function is missing');
  const uploaderReasons: Record<string, string> = {
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
      'CDK\'s BucketDeployment function writes its own logs with the basic execution role; it runs only during deploys.',
    'AwsSolutions-L1': 'The runtime of CDK\'s BucketDeployment function is chosen and upgraded by aws-cdk-lib itself.',
    'AwsSolutions-IAM5[Action::s3:GetBucket*]': 'BucketDeployment reads the CDK asset bucket and the console bucket only (CDK\'s grantRead).',
    'AwsSolutions-IAM5[Action::s3:GetObject*]': 'BucketDeployment reads the console\'s asset zip from the CDK asset bucket (CDK\'s grantRead).',
    'AwsSolutions-IAM5[Action::s3:List*]': 'BucketDeployment lists the console bucket to remove files of older builds (CDK\'s grantReadWrite).',
    'AwsSolutions-IAM5[Action::s3:Abort*]': 'BucketDeployment uploads to the console bucket only (CDK\'s grantReadWrite).',
    'AwsSolutions-IAM5[Action::s3:DeleteObject*]': 'BucketDeployment removes files of older builds from the console bucket only (prune).',
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]':
      'The objects of the CDK bootstrap asset bucket, where the console\'s built files arrive as a zip.',
    [`AwsSolutions-IAM5[Resource::<${logicalIdOf(stack, stack.console.bucket)}.Arn>/*]`]: 'The objects of the console\'s own bucket, which holds nothing else.',
    'AwsSolutions-IAM5[Resource::*]': 'cloudfront:CreateInvalidation and GetInvalidation, to refresh the console after a deploy, support no resource-level permissions here.',
  };
  for (const [id, reason] of Object.entries(uploaderReasons)) acknowledge(uploader, id, reason);
}

/** Why a function may be reached without a JWT, for the routes described with `auth: 'none'`. */
const OPEN_ROUTE_REASONS: Partial<Record<FunctionId, string>> = {
  'receive-webhook':
    'Marketplace webhooks carry no JWT: the handler authenticates each one by its HMAC-SHA256 signature over ' +
    'timestamp.rawBody with the marketplace secret, rejecting replays older than 300 s.',
  'get-webhook-event':
    'Marketplaces carry no JWT: the handler authenticates each status request by its HMAC-SHA256 signature over ' +
    'timestamp.GET.path with the marketplace secret, rejecting replays older than 300 s.',
  'get-openapi': 'The API contract (OpenAPI) is public documentation for integrators; it serves no data.',
};

function logicalIdOf(stack: AftercareStack, construct: IConstruct): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}
