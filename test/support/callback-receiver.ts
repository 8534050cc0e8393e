import { createServer, type Server } from 'node:http';

export interface ReceivedCallback {
  readonly headers: Record<string, string | string[] | undefined>;
  /** The raw body, as signed. */
  readonly rawBody: string;
}

/**
 * A marketplace's callback endpoint on 127.0.0.1: records every request and answers with the
 * next status of `answers` (then 204), so a test can make it fail first and succeed later;
 * callbacks of the tickets in `refusing` are always refused.
 */
export async function startCallbackReceiver(): Promise<{ url: string; received: ReceivedCallback[]; answers: number[]; refusing: Set<string>; close(): Promise<void> }> {
  const received: ReceivedCallback[] = [];
  const answers: number[] = [];
  /** Ticket ids whose callbacks are always refused (503). */
  const refusing = new Set<string>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: request.headers, rawBody });
      const ticketId = (JSON.parse(rawBody) as { ticketId?: string }).ticketId;
      response.writeHead(ticketId && refusing.has(ticketId) ? 503 : (answers.shift() ?? 204)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/aftercare`,
    received,
    answers,
    refusing,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
