import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { tracer } from '@shared/observability/tracer';

/**
 * The AWS SDK v3 clients, one of each per process. They read region, credentials and
 * endpoints from the environment: in AWS the Lambda runtime's, locally the runtime's
 * `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SQS`, `AWS_ENDPOINT_URL_SFN` and `AWS_ENDPOINT_URL_S3`.
 * Each call is traced (an X-Ray subsegment) where tracing is on: in Lambda.
 */
let documentClient: DynamoDBDocumentClient | undefined;
let sqsClient: SQSClient | undefined;
let sfnClient: SFNClient | undefined;
let secretsClient: SecretsManagerClient | undefined;
let s3Client: S3Client | undefined;

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

export function sqs(): SQSClient {
  sqsClient ??= tracer.captureAWSv3Client(new SQSClient({}));
  return sqsClient;
}

export function stepFunctions(): SFNClient {
  sfnClient ??= tracer.captureAWSv3Client(new SFNClient({}));
  return sfnClient;
}

export function secretsManager(): SecretsManagerClient {
  secretsClient ??= tracer.captureAWSv3Client(new SecretsManagerClient({}));
  return secretsClient;
}

/**
 * S3. With an endpoint override (`AWS_ENDPOINT_URL_S3`, the local runtime's S3 server on
 * 127.0.0.1) buckets are addressed by path, since an IP address has no bucket subdomains.
 */
export function s3(): S3Client {
  s3Client ??= tracer.captureAWSv3Client(new S3Client({ forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined }));
  return s3Client;
}
