import { createServer } from 'node:http';

/** What an on-call webhook carries that the benchmarks read. */
export interface OnCallBody {
  readonly id: string;
  readonly ticketId: string;
  readonly type: string;
  readonly dueAt: string;
  readonly at: string;
}

/**
 * A local on-call webhook receiver on 127.0.0.1: hands each notification's body, and the
 * moment it arrived, to `onNotification`, and answers 204.
 */
export async function startOnCallReceiver(onNotification: (body: OnCallBody, arrivedAt: number) => void) {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      onNotification(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OnCallBody, Date.now());
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/on-call`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
