import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { openApiDocument } from '@shared/api/openapi';
import { httpHandler } from '@shared/http/http-handler';
import { jsonResponse } from '@shared/http/responses';
import { API_DOCS_ASSETS, createApiDocs, type ApiDocsAsset } from './api-docs';

const document = JSON.stringify(openApiDocument());

/**
 * Swagger UI's files: in Lambda, copied next to the bundle (`assets` in infra/resources.ts);
 * on this machine, read from node_modules. Read once, on first use.
 */
const assets = new Map<ApiDocsAsset, string>();
function readAsset(asset: ApiDocsAsset): string {
  let text = assets.get(asset);
  if (text === undefined) {
    const file = API_DOCS_ASSETS[asset].file;
    const bundled = process.env.LAMBDA_TASK_ROOT ? join(process.env.LAMBDA_TASK_ROOT, basename(file)) : undefined;
    const path = bundled && existsSync(bundled) ? bundled : createRequire(join(process.cwd(), 'package.json')).resolve(file);
    text = readFileSync(path, 'utf8');
    assets.set(asset, text);
  }
  return text;
}

const apiDocs = createApiDocs({ readAsset });

/** `GET /openapi.json`: the contract, built once per cold start; `GET /docs[/{asset}]`: the contract rendered for reading. */
export const handler = httpHandler(async (event: APIGatewayProxyEventV2) =>
  event.routeKey === 'GET /openapi.json' ? { ...jsonResponse(200, null), body: document } : apiDocs(event),
);
