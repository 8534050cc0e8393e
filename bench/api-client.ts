import { signPayload } from '@shared/webhooks/signature';

export interface Answer {
  readonly status: number;
  readonly body: any;
}

/**
 * The bench's client of the local stack's HTTP API: signed webhooks, actions with dev JWTs,
 * and the manual clock. Counts the requests that would go through API Gateway in AWS (all
 * but the local-only `/_local` control routes).
 */
export class BenchApi {
  apiRequests = 0;
  /** Called after each API request, with its route and status (the cost bench sizes access log lines with it). */
  onApiRequest: (method: string, path: string, status: number, bytes: number) => void = () => undefined;
  private readonly tokens = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    readonly marketplace: string,
    private readonly secret: string,
  ) {}

  async request(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(`${this.baseUrl}${path}`, { method, body, headers: { 'content-type': 'application/json', ...headers } });
    const text = await response.text();
    if (!path.startsWith('/_local')) {
      this.apiRequests += 1;
      this.onApiRequest(method, path, response.status, Buffer.byteLength(text));
    }
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  async token(role: string): Promise<string> {
    let token = this.tokens.get(role);
    if (!token) {
      const answer = await this.request('POST', '/_local/tokens', JSON.stringify({ role, marketplace: this.marketplace }));
      token = answer.body.token as string;
      this.tokens.set(role, token);
    }
    return token;
  }

  async get(path: string, role: string): Promise<Answer> {
    return this.request('GET', path, undefined, { authorization: `Bearer ${await this.token(role)}` });
  }

  async post(path: string, body: unknown, role: string): Promise<Answer> {
    return this.request('POST', path, JSON.stringify(body), { authorization: `Bearer ${await this.token(role)}` });
  }

  /** A signed marketplace webhook, timestamped `nowSeconds`. */
  async webhook(event: { id: string; type: string; occurredAt: string; data: Record<string, unknown> }, nowSeconds: number): Promise<Answer> {
    const body = JSON.stringify(event);
    const ts = String(nowSeconds);
    return this.request('POST', `/webhooks/${this.marketplace}`, body, {
      'x-aftercare-timestamp': ts,
      'x-aftercare-signature': signPayload(this.secret, ts, body),
    });
  }

  /** Moves the manual clock and waits for the work it started to settle. */
  async advance(seconds: number): Promise<void> {
    const answer = await this.request('POST', '/_local/clock/advance', JSON.stringify({ seconds }));
    if (answer.status !== 200) throw new Error(`clock advance answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
}
