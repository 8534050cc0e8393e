import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { NotFoundError } from '@shared/errors';

/**
 * The files of the reference page: Swagger UI's own build (the `swagger-ui-dist` package,
 * copied into the Lambda bundle by `assets` in infra/resources.ts) and the few lines that
 * point it at `/openapi.json`.
 */
export const API_DOCS_ASSETS = {
  'swagger-ui-bundle.js': { file: 'swagger-ui-dist/swagger-ui-bundle.js', type: 'text/javascript; charset=utf-8' },
  'swagger-ui.css': { file: 'swagger-ui-dist/swagger-ui.css', type: 'text/css; charset=utf-8' },
} as const;
export type ApiDocsAsset = keyof typeof API_DOCS_ASSETS;

// Relative URLs: the page is /docs, so they resolve under the API's own base path, deployed or local.
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Aftercare API reference</title>
<link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
<div id="reference"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/start.js"></script>
</body>
</html>
`;

const START = `window.ui = SwaggerUIBundle({
  url: new URL('openapi.json', window.location.href).href,
  dom_id: '#reference',
  deepLinking: true,
  defaultModelsExpandDepth: 0,
  tryItOutEnabled: false,
});
`;

/** Everything the page loads comes from this API: no CDN, so it works offline and under a strict policy. */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'",
  'x-content-type-options': 'nosniff',
};

export interface ApiDocsDeps {
  /** The text of one of Swagger UI's files. */
  readonly readAsset: (asset: ApiDocsAsset) => string;
}

/** `GET /docs` and `GET /docs/{asset}`: the OpenAPI document rendered by Swagger UI. */
export function createApiDocs(deps: ApiDocsDeps) {
  return async function apiDocs(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const asset = event.pathParameters?.asset;
    if (asset === undefined) return text(PAGE, 'text/html; charset=utf-8');
    if (asset === 'start.js') return text(START, 'text/javascript; charset=utf-8');
    if (!Object.hasOwn(API_DOCS_ASSETS, asset)) throw new NotFoundError(`no such file: /docs/${asset}`);
    const known = asset as ApiDocsAsset;
    return text(deps.readAsset(known), API_DOCS_ASSETS[known].type, 'public, max-age=86400');
  };
}

function text(body: string, type: string, cacheControl = 'no-cache'): APIGatewayProxyStructuredResultV2 {
  return { statusCode: 200, headers: { 'content-type': type, 'cache-control': cacheControl, ...SECURITY_HEADERS }, body };
}
