import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { BucketSpec } from '@infra/resources';

/** The locked bucket and the bucket its server access logs go to. */
export interface LockedBucket {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
}

/**
 * A bucket whose objects cannot be deleted or overwritten by anyone, the account root
 * included, until their retention ends: S3 Object Lock in compliance mode (which needs
 * versioning), a default retention from the spec, encryption with the data key, TLS only,
 * no public access, and RETAIN so that deleting the stack leaves it. Server access logs go
 * to a bucket of their own (S3-managed encryption: access logging cannot write with KMS).
 *
 * Created directly in `scope` as `${name}Bucket`: its logical id must never change.
 */
export function createLockedBucket(scope: Construct, name: string, spec: BucketSpec, dataKey: IKey): LockedBucket {
  const accessLogs = new Bucket(scope, `${name}AccessLogsBucket`, {
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
    versioned: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const bucket = new Bucket(scope, `${name}Bucket`, {
    objectLockEnabled: true,
    objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(spec.objectLockRetentionDays)),
    versioned: true,
    encryption: BucketEncryption.KMS,
    encryptionKey: dataKey,
    bucketKeyEnabled: true,
    enforceSSL: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    serverAccessLogsBucket: accessLogs,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return { bucket, accessLogs };
}
