/**
 * The ops console's Content-Security-Policy, the same locally (infra/local/http/console-files.ts)
 * and behind CloudFront (infra/cloud/constructs/console-hosting.ts): its own scripts and styles
 * only (Preact sets inline styles), never framed. `connectSrc` says where it may send requests.
 */
export function consoleContentSecurityPolicy(connectSrc: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src ${connectSrc}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}
