import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { consoleContentSecurityPolicy } from '@infra/console-headers';

/** The built console (`npm run build:console`, run by `npm ci`), from the project root. */
export const CONSOLE_DIST = join(process.cwd(), 'console', 'dist');

/** The path the console lives under, as on the local stack. */
const PREFIX = 'console';

/** What the console reads from `config.json`: the API and the OIDC provider to sign in with. */
export interface ConsoleSettings {
  readonly apiUrl: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
}

/**
 * Requests may go to the console's origin and any HTTPS origin: besides the API, the OIDC
 * provider's token endpoint, whose host its discovery document names only at sign-in.
 */
const CONTENT_SECURITY_POLICY = consoleContentSecurityPolicy("'self' https:");

/**
 * Rewrites `/` and `/console` to the console and `/console/` to its index.html: S3 serves
 * objects, not directories, and the console's routes live in the URL's hash.
 */
const INDEX_REWRITE = `function handler(event) {
  var request = event.request;
  if (request.uri === '/' || request.uri === '/${PREFIX}') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '/${PREFIX}/' } } };
  }
  if (request.uri === '/${PREFIX}/') request.uri = '/${PREFIX}/index.html';
  return request;
}`;

/**
 * The ops console in AWS: its files in a private bucket (no public access, TLS only,
 * S3-managed encryption, access logs) that only this CloudFront distribution may read, by
 * Origin Access Control; HTTPS only, with a response headers policy (HSTS, CSP, no framing,
 * no sniffing, referrer policy). `deploy()` uploads the built console and the `config.json`
 * that points it at the API and the OIDC provider.
 */
export class ConsoleHosting extends Construct {
  readonly bucket: Bucket;
  readonly logs: Bucket;
  readonly distribution: Distribution;
  readonly headers: ResponseHeadersPolicy;
  /** `https://<distribution domain>`: the origin the API allows by CORS. */
  readonly origin: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // CloudFront standard logs are written with ACLs, hence BUCKET_OWNER_PREFERRED.
    this.logs = new Bucket(this, 'LogsBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      versioned: true,
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new Bucket(this, 'FilesBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: this.logs,
      serverAccessLogsPrefix: 'files-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Aftercare console: HSTS, CSP, no framing, no sniffing',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, preload: false, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });
    const rewrite = new CloudFrontFunction(this, 'IndexRewrite', {
      code: FunctionCode.fromInline(INDEX_REWRITE),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Aftercare console: / and /console/ to index.html',
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Aftercare ops console',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: this.headers,
        functionAssociations: [{ function: rewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'distribution/',
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;
  }

  /** Uploads the built console under `console/` with its `config.json`, and invalidates CloudFront's copy. */
  deploy(settings: ConsoleSettings): BucketDeployment {
    return new BucketDeployment(this, 'Files', {
      sources: [Source.asset(CONSOLE_DIST), Source.jsonData('config.json', { auth: 'oidc', ...settings })],
      destinationBucket: this.bucket,
      destinationKeyPrefix: `${PREFIX}/`,
      distribution: this.distribution,
      distributionPaths: [`/${PREFIX}/*`],
      memoryLimit: 512,
    });
  }
}
