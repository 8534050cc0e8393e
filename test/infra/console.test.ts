import { logicalIdOf, refersTo, synthesize } from './synth';

/** The ops console in AWS: a private bucket that only its CloudFront distribution reads. */
const { stack, template } = synthesize();
const json = template.toJSON() as {
  Resources: Record<string, { Type: string; Properties: any }>;
  Parameters: Record<string, { Type: string; Default?: string }>;
  Outputs: Record<string, { Value: unknown }>;
};
const ofType = (type: string) => Object.entries(json.Resources).filter(([, resource]) => resource.Type === type);
/** The one resource of `type`: its logical id and properties. */
function only(type: string): [string, any] {
  const found = ofType(type);
  expect(found).toHaveLength(1);
  return [found[0]![0], found[0]![1].Properties];
}
const bucketId = logicalIdOf(stack.console.bucket);
const distributionId = logicalIdOf(stack.console.distribution);
const distribution = json.Resources[distributionId]!.Properties.DistributionConfig;

describe('the console bucket', () => {
  const bucket = json.Resources[bucketId]!.Properties;

  it('blocks every kind of public access, is encrypted and logs access', () => {
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(refersTo(bucket.LoggingConfiguration.DestinationBucketName, logicalIdOf(stack.console.logs))).toBe(true);
    expect(bucket.WebsiteConfiguration).toBeUndefined();
  });

  it('lets only this distribution read objects (Origin Access Control), and refuses plain HTTP', () => {
    const [, policy] = ofType('AWS::S3::BucketPolicy').find(([, resource]) => refersTo(resource.Properties.Bucket, bucketId))!;
    const statements = policy.Properties.PolicyDocument.Statement as any[];
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    const cloudFrontReads = allows.filter((statement) => statement.Principal?.Service === 'cloudfront.amazonaws.com');
    expect(cloudFrontReads).toHaveLength(1);
    expect(cloudFrontReads[0].Action).toBe('s3:GetObject');
    expect(refersTo(cloudFrontReads[0].Condition.StringEquals['AWS:SourceArn'], distributionId)).toBe(true);
    // Besides CloudFront, only CDK's uploader (its role, by the deploy) is allowed anything; nobody anonymous.
    expect(allows.every((statement) => statement.Principal !== '*' && statement.Principal?.AWS !== '*')).toBe(true);
    expect(statements.some((statement) => statement.Effect === 'Deny' && statement.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
  });
});

describe('the console distribution', () => {
  it('reaches the bucket through an Origin Access Control that signs every request', () => {
    const [controlId, control] = only('AWS::CloudFront::OriginAccessControl');
    expect(control.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    expect(distribution.Origins).toHaveLength(1);
    expect(refersTo(distribution.Origins[0].OriginAccessControlId, controlId)).toBe(true);
    expect(refersTo(distribution.Origins[0].DomainName, bucketId)).toBe(true);
    expect(distribution.Origins[0].S3OriginConfig.OriginAccessIdentity).toBe('');
  });

  it('serves HTTPS only, with the security headers policy and the index rewrite, and logs requests', () => {
    const behavior = distribution.DefaultCacheBehavior;
    expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(refersTo(behavior.ResponseHeadersPolicyId, logicalIdOf(stack.console.headers))).toBe(true);
    expect(behavior.FunctionAssociations).toHaveLength(1);
    expect(behavior.FunctionAssociations[0].EventType).toBe('viewer-request');
    expect(refersTo(distribution.Logging.Bucket, logicalIdOf(stack.console.logs))).toBe(true);
  });

  it('sends HSTS, a CSP that forbids framing and foreign scripts, nosniff, DENY framing and a referrer policy', () => {
    const policy = json.Resources[logicalIdOf(stack.console.headers)]!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(policy.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31_536_000, IncludeSubdomains: true, Override: true });
    expect(policy.ContentSecurityPolicy.ContentSecurityPolicy).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' https:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    );
    expect(policy.ContentTypeOptions).toEqual({ Override: true });
    expect(policy.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(policy.ReferrerPolicy).toEqual({ ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true });
  });

  it('redirects / to /console/ and serves /console/ as its index.html', () => {
    const [, fn] = only('AWS::CloudFront::Function');
    const handler = new Function(`${fn.FunctionCode as string}; return handler;`)() as (event: unknown) => any;
    expect(handler({ request: { uri: '/' } })).toEqual({ statusCode: 302, statusDescription: 'Found', headers: { location: { value: '/console/' } } });
    expect(handler({ request: { uri: '/console' } }).headers.location.value).toBe('/console/');
    expect(handler({ request: { uri: '/console/' } })).toEqual({ uri: '/console/index.html' });
    expect(handler({ request: { uri: '/console/assets/index-abc.js' } })).toEqual({ uri: '/console/assets/index-abc.js' });
  });
});

describe('the console deployment', () => {
  it('uploads the built console under console/ with its config.json, and invalidates the distribution', () => {
    const [, properties] = only('Custom::CDKBucketDeployment');
    const deployment = { Properties: properties };
    expect(deployment.Properties.DestinationBucketKeyPrefix).toBe('console/');
    expect(refersTo(deployment.Properties.DestinationBucketName, bucketId)).toBe(true);
    expect(refersTo(deployment.Properties.DistributionId, distributionId)).toBe(true);
    expect(deployment.Properties.DistributionPaths).toEqual(['/console/*']);
    expect(deployment.Properties.SourceObjectKeys).toHaveLength(2);
    // config.json's values are the API URL and the OIDC settings, filled in at deploy time.
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);
    for (const parameter of ['JwtIssuer', 'ConsoleClientId', 'ConsoleScope']) expect(markers).toContain(`{"Ref":"${parameter}"}`);
    expect(refersTo(deployment.Properties.SourceMarkers, logicalIdOf(stack.httpApi.api))).toBe(true);
  });

  it('takes the OIDC client from stack parameters and names the console URL', () => {
    expect(json.Parameters.ConsoleClientId).toMatchObject({ Type: 'String', MinLength: 1 });
    expect(json.Parameters.ConsoleScope).toMatchObject({ Type: 'String', Default: 'openid' });
    expect(refersTo(json.Outputs.ConsoleUrl!.Value, distributionId)).toBe(true);
  });

  it('lets the API answer the console origin by CORS, and no other', () => {
    const api = json.Resources[logicalIdOf(stack.httpApi.api)]!.Properties;
    expect(api.CorsConfiguration.AllowOrigins).toHaveLength(1);
    expect(refersTo(api.CorsConfiguration.AllowOrigins[0], distributionId)).toBe(true);
    expect(api.CorsConfiguration.AllowHeaders).toEqual(['authorization', 'content-type', 'idempotency-key']);
    expect(api.CorsConfiguration.AllowMethods).toEqual(['GET', 'POST']);
  });
});
