import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
  type HttpRoute,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { FunctionId, RouteSpec } from '@infra/resources';
import { pascalCase } from '../names';
import { LOG_RETENTION } from './log-retention';

/**
 * Stage-wide throttling: a guard against a runaway client or marketplace retry storm, well
 * under the account's default of 10,000 requests per second shared by every API in it.
 */
const THROTTLE = { rateLimit: 500, burstLimit: 1000 };

/**
 * One JSON line per request, with variables HTTP APIs support (`jsonWithStandardFields` uses
 * REST API ones). No headers or bodies: bearer tokens and webhook payloads stay out of logs.
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    ip: '$context.identity.sourceIp',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
  }),
);

/** Routes under this prefix are the local runtime's control API; they must never reach AWS. */
const LOCAL_ONLY_PREFIX = '/_local';

export interface HttpApiProps {
  readonly routes: readonly RouteSpec[];
  readonly functions: Readonly<Record<FunctionId, IFunction>>;
  /** Issuer (`iss`) and audience (`aud`) the JWT authorizer accepts. */
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  /** Browser origins (the ops console's) allowed to call the API, by CORS. */
  readonly corsOrigins?: readonly string[];
}

export interface AftercareHttpApi {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** The deployed routes, in the order of `props.routes`. */
  readonly routes: readonly { readonly spec: RouteSpec; readonly route: HttpRoute }[];
}

/**
 * The HTTP API: one route per route spec, each a Lambda proxy (payload format 2.0, the shape
 * the local server produces too). `jwt` routes sit behind API Gateway's JWT authorizer, which
 * checks signature, issuer, audience and expiry before the function runs; `none` routes
 * (signed webhooks, the public contract) are open at the gateway.
 *
 * The `$default` stage is declared here rather than by `HttpApi`, because only a declared
 * stage takes access logging and throttling.
 */
export function createHttpApi(scope: Construct, props: HttpApiProps): AftercareHttpApi {
  const api = new HttpApi(scope, 'HttpApi', {
    createDefaultStage: false,
    description: 'Aftercare webhooks and API',
    // The gateway answers the console's preflight requests itself, before any authorizer.
    corsPreflight: props.corsOrigins?.length
      ? {
          allowOrigins: [...props.corsOrigins],
          allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
          allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
          exposeHeaders: ['content-disposition', 'x-aftercare-export-events', 'x-aftercare-export-record'],
          maxAge: Duration.hours(1),
        }
      : undefined,
  });
  const accessLogs = new LogGroup(scope, 'HttpApiAccessLogs', { retention: LOG_RETENTION, removalPolicy: RemovalPolicy.RETAIN });
  const stage = new HttpStage(scope, 'HttpApiDefaultStage', {
    httpApi: api,
    stageName: '$default',
    autoDeploy: true,
    throttle: THROTTLE,
    accessLogSettings: {
      destination: new LogGroupLogDestination(accessLogs),
      format: ACCESS_LOG_FORMAT,
    },
  });

  const jwtAuthorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwtIssuer, { jwtAudience: [props.jwtAudience] });
  const authorizerFor = (spec: RouteSpec): IHttpRouteAuthorizer => (spec.auth === 'jwt' ? jwtAuthorizer : new HttpNoneAuthorizer());

  // One integration per function, shared by its routes (get-ticket serves two).
  const integrations = new Map<FunctionId, HttpLambdaIntegration>();
  const integrationFor = (functionId: FunctionId): HttpLambdaIntegration => {
    let integration = integrations.get(functionId);
    if (!integration) {
      integration = new HttpLambdaIntegration(`${pascalCase(functionId)}Integration`, props.functions[functionId], {
        payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      });
      integrations.set(functionId, integration);
    }
    return integration;
  };

  const routes = props.routes.map((spec) => {
    if (spec.path.startsWith(LOCAL_ONLY_PREFIX)) {
      throw new Error(`${spec.method} ${spec.path}: ${LOCAL_ONLY_PREFIX} routes exist only in the local runtime`);
    }
    const [route] = api.addRoutes({
      path: spec.path,
      methods: [HttpMethod[spec.method]],
      integration: integrationFor(spec.function),
      authorizer: authorizerFor(spec),
    });
    return { spec, route: route! };
  });

  return { api, stage, accessLogs, routes };
}
