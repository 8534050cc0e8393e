/**
 * Writes console/src/api/schema.d.ts from the OpenAPI document the API itself serves
 * (`openApiDocument()`, built from the handlers' zod schemas), so the console's client is
 * typed against the code as it is and cannot drift from it. Run by `npm run build:console`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { openApiDocument } from '@shared/api/openapi';

const target = fileURLToPath(new URL('../src/api/schema.d.ts', import.meta.url));
const ast = await openapiTS(openApiDocument() as unknown as Parameters<typeof openapiTS>[0]);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, `// Generated from the API's OpenAPI document by console/scripts/generate-api-types.ts. Do not edit.\n${astToString(ast)}`);
