import { signPayload } from '@shared/webhooks/signature';

export interface JsonAnswer<T = any> {
  readonly status: number;
  readonly body: T;
}

/** A small JSON client for the local stack's HTTP API. */
export class StackClient {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<JsonAnswer<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...options.headers },
      body: options.body,
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }

  get<T = any>(path: string, token?: string) {
    return this.request<T>('GET', path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  }

  post<T = any>(path: string, body: unknown, token?: string) {
    return this.request<T>('POST', path, {
      body: JSON.stringify(body),
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  }

  /** Current time on the stack's clock, in unix seconds (webhook signatures are checked against it). */
  async nowSeconds(): Promise<number> {
    const { body } = await this.get<{ now: string }>('/_local/clock');
    return Math.floor(Date.parse(body.now) / 1000);
  }

  /** Moves the manual clock and waits for the work it started to settle. */
  async advance(seconds: number): Promise<string> {
    const answer = await this.post<{ now: string }>('/_local/clock/advance', { seconds });
    if (answer.status !== 200) throw new Error(`advance failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.now;
  }

  async token(role: string, marketplace = 'demo'): Promise<string> {
    const answer = await this.post<{ token: string }>('/_local/tokens', { role, marketplace });
    return answer.body.token;
  }

  /** Sends a webhook body signed with `secret`, timestamped on the stack's clock. */
  async sendWebhook(marketplace: string, secret: string, rawBody: string, timestamp?: number): Promise<JsonAnswer> {
    const ts = String(timestamp ?? (await this.nowSeconds()));
    return this.request('POST', `/webhooks/${marketplace}`, {
      body: rawBody,
      headers: { 'x-aftercare-timestamp': ts, 'x-aftercare-signature': signPayload(secret, ts, rawBody) },
    });
  }
}

/** A `complaint.created` webhook body for the marketplace's case `reference`. */
export function complaintCreated(reference: string, occurredAt = new Date().toISOString()) {
  return {
    id: `evt-${reference}`,
    type: 'complaint.created',
    occurredAt,
    data: {
      reference,
      orderId: `order-${reference}`,
      customerRef: `cust-${reference}`,
      channel: 'app',
      subject: 'Parcel arrived damaged',
      description: 'The box was crushed and the item is broken.',
    },
  };
}
