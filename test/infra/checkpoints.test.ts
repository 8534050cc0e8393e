import { buckets } from '@infra/resources';
import { logicalIdOf, refersTo, synthesize } from './synth';

/** The chain-head checkpoint bucket: what no one can delete or rewrite, encrypted, private. */
const { stack, template } = synthesize();
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: any; DeletionPolicy?: string }>;

describe.each(Object.entries(buckets))('the %s bucket', (bucketId, spec) => {
  const { bucket, accessLogs } = stack.buckets[bucketId as keyof typeof buckets];
  const resource = resources[logicalIdOf(bucket)]!;

  it('locks every object in compliance mode for the described retention, with versioning', () => {
    expect(resource.Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: spec.objectLockRetentionDays } } },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect(resource.DeletionPolicy).toBe('Retain');
  });

  it('is encrypted with the data key, private, reachable over TLS only, and logs access to its own log bucket', () => {
    const encryption = resource.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault;
    expect(encryption.SSEAlgorithm).toBe('aws:kms');
    expect(refersTo(encryption.KMSMasterKeyID, logicalIdOf(stack.dataKey))).toBe(true);
    expect(resource.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(refersTo(resource.Properties.LoggingConfiguration.DestinationBucketName, logicalIdOf(accessLogs))).toBe(true);
    const policies = Object.values(resources).filter((candidate) => candidate.Type === 'AWS::S3::BucketPolicy' && refersTo(candidate.Properties.Bucket, logicalIdOf(bucket)));
    expect(policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement)).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('is not deletable, shortenable or unlockable by any function', () => {
    const policies = Object.values(resources).filter((candidate) => candidate.Type === 'AWS::IAM::Policy');
    const onBucket = policies
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
      .filter((statement) => refersTo(statement.Resource, logicalIdOf(bucket)))
      .flatMap((statement) => [statement.Action].flat());
    expect(onBucket.filter((action) => /Delete|Retention|LegalHold|ObjectLock|Bypass|\*$/.test(action))).toEqual([]);
  });
});
