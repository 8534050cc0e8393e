import { z } from 'zod';

/** The API answered with an error status, or not at all. */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

const tokenAnswer = z.object({ token: z.string() });

/**
 * A bearer-token client for the Aftercare HTTP API, deployed or local. Without a token it
 * asks a local stack for a dev token (an auditor by default, every marketplace); a deployed
 * API has no such route, so there a token must be given.
 */
export class AftercareApiClient {
  private constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  static async connect(baseUrl: string, token: string | undefined, localRole: 'auditor' | 'manager' = 'auditor'): Promise<AftercareApiClient> {
    const base = baseUrl.replace(/\/+$/, '');
    if (token) return new AftercareApiClient(base, token);
    let response: Response;
    try {
      response = await fetch(`${base}/_local/tokens`, { method: 'POST', body: JSON.stringify({ role: localRole, marketplace: '*' }) });
    } catch (error) {
      throw new ApiRequestError(`cannot reach ${base}: ${(error as Error).message}`);
    }
    if (!response.ok) {
      throw new ApiRequestError(`${base} is not a local stack (no /_local/tokens): pass --token or set AFTERCARE_TOKEN`, response.status);
    }
    return new AftercareApiClient(base, tokenAnswer.parse(await response.json()).token);
  }

  /** GETs `path` and validates the JSON answer with `schema`. */
  async get<Schema extends z.ZodType>(path: string, schema: Schema): Promise<z.output<Schema>> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, { headers: { authorization: `Bearer ${this.token}` } });
    } catch (error) {
      throw new ApiRequestError(`cannot reach ${this.baseUrl}: ${(error as Error).message}`);
    }
    const text = await response.text();
    if (!response.ok) throw new ApiRequestError(`GET ${path}: ${response.status} ${text.slice(0, 300)}`, response.status);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiRequestError(`GET ${path}: the answer is not JSON`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new ApiRequestError(`GET ${path}: unexpected answer: ${parsed.error.message}`);
    return parsed.data;
  }
}
