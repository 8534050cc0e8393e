import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { consoleContentSecurityPolicy } from '@infra/console-headers';
import type { HttpAnswer } from './api-gateway-event';

/** Where `npm run build:console` (run by `npm ci`'s prepare step) writes the console; paths are from the project root, as the workflow files are. */
export const CONSOLE_DIST = join(process.cwd(), 'console', 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The headers CloudFront's response headers policy sets on the deployed console, so the local one behaves alike. */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // Locally the API is on the console's own origin.
  'content-security-policy': consoleContentSecurityPolicy("'self'"),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

const redirect = (location: string): HttpAnswer => ({ statusCode: 302, headers: { location }, body: Buffer.alloc(0) });
const text = (statusCode: number, message: string): HttpAnswer => ({
  statusCode,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: Buffer.from(message),
});

/**
 * The ops console as the local stack serves it: `/` and `/console` redirect to
 * `/console/`, files come from `console/dist`, and `/console/config.json` tells the console
 * to sign in with the stack's dev tokens and to call the API on this same origin. Answers
 * `undefined` for any other path (the API's).
 */
export function consoleFiles(dist = CONSOLE_DIST) {
  return async (method: string, path: string): Promise<HttpAnswer | undefined> => {
    if (path === '/' || path === '/console') return method === 'GET' || method === 'HEAD' ? redirect('/console/') : undefined;
    if (!path.startsWith('/console/')) return undefined;
    if (method !== 'GET' && method !== 'HEAD') return text(405, 'the console is read only');
    const security = CONSOLE_SECURITY_HEADERS;
    if (path === '/console/config.json') {
      return { statusCode: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...security }, body: Buffer.from(JSON.stringify({ auth: 'local', apiUrl: '' })) };
    }
    let relative: string;
    try {
      relative = path === '/console/' ? 'index.html' : decodeURIComponent(path.slice('/console/'.length));
    } catch {
      return text(400, 'malformed percent-encoding in the path');
    }
    const file = normalize(join(dist, relative));
    if (!file.startsWith(join(dist, sep))) return text(404, 'Not Found');
    try {
      const body = await readFile(file);
      // Hashed asset names change with their content; index.html must be fetched fresh.
      const cache = relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      return { statusCode: 200, headers: { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': cache, ...security }, body };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (relative === 'index.html') return text(503, 'The console is not built: run `npm run build:console` (npm ci runs it).');
      return text(404, 'Not Found');
    }
  };
}
