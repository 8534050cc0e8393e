/**
 * Region, account and credentials of the local runtime. The SDK clients need credentials to
 * sign requests; the local services accept any, so these are fixed, obviously fake values.
 */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT_ID = '000000000000';

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** Sets what the SDK clients in this process read, so handlers reach the local services. */
export function useLocalAwsEnvironment(endpoints: { dynamodb: string; sqs: string; sfn: string; s3?: string }): void {
  process.env.AWS_REGION = LOCAL_REGION;
  process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoints.dynamodb;
  process.env.AWS_ENDPOINT_URL_SQS = endpoints.sqs;
  process.env.AWS_ENDPOINT_URL_SFN = endpoints.sfn;
  if (endpoints.s3) process.env.AWS_ENDPOINT_URL_S3 = endpoints.s3;
}
