import { openApiDocument } from '@shared/api/openapi';
import { jsonResponse } from '@shared/http/responses';

const document = JSON.stringify(openApiDocument());

/** `GET /openapi.json`: the contract, built once per cold start. */
export const handler = async () => ({ ...jsonResponse(200, null), body: document });
