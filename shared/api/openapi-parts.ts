import { z } from 'zod';

/**
 * Building blocks of the OpenAPI document: JSON Schema from the zod schemas the handlers
 * validate with (so the contract cannot drift from the code), and the shapes every route
 * shares (errors, media types, parameters).
 */

/** JSON Schema (2020-12, the dialect of OpenAPI 3.1) of what a zod schema accepts. */
export function schemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return json;
}

export const jsonContent = (schema: unknown) => ({ 'application/json': { schema } });

/** A JSON answer with a description and a body schema (every response has one). */
export const jsonResponse = (description: string, schema: unknown) => ({ description, content: jsonContent(schema) });

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'the request is malformed; `message` names the field and the rule',
  401: 'no valid signature or token',
  403: 'the caller\'s role or marketplace grant does not allow this',
  404: 'no such resource',
  409: 'the ticket\'s stage does not allow this, or `expectedVersion` is stale',
  413: 'the body is too large',
};

/** Error answers: `{"error", "message"}`, described per status. */
export const errorResponses = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [String(code), { $ref: `#/components/responses/Error${code}` }]));

export const errorComponents = () =>
  Object.fromEntries(
    Object.entries(ERROR_DESCRIPTIONS).map(([code, description]) => [`Error${code}`, jsonResponse(description, { $ref: '#/components/schemas/Error' })]),
  );

export const ERROR_SCHEMA = {
  type: 'object',
  properties: {
    error: { type: 'string', description: 'a stable error code, e.g. `validation_failed`' },
    message: { type: 'string', description: 'what is wrong, naming the field' },
  },
  required: ['error', 'message'],
};

/** Query parameters from a zod object schema, each with its own schema and description. */
export const queryParameters = (schema: z.ZodObject) =>
  Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: 'query',
    required: !(field as z.ZodType).safeParse(undefined).success,
    description: (field as z.ZodType).description ?? name,
    schema: schemaOf(field as z.ZodType),
  }));

/** Query parameters of a refined zod schema (the audit routes'), described here. */
export function rangeQueryParameters(schema: z.ZodType, descriptions: Record<string, string>) {
  const json = schemaOf(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: (json.required ?? []).includes(name),
    description: descriptions[name] ?? name,
    schema: property,
  }));
}

export const pathParameter = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});
