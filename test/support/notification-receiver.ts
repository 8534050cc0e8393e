import { createServer, type Server } from 'node:http';

export interface ReceivedNotification {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Record<string, unknown>;
}

/** A local on-call webhook (127.0.0.1) that records what it receives. */
export async function startNotificationReceiver(): Promise<{ url: string; received: ReceivedNotification[]; close(): Promise<void> }> {
  const received: ReceivedNotification[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/on-call`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
