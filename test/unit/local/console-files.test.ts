import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleFiles } from '../../../infra/local/http/console-files';

describe('console files on the local stack', () => {
  const dist = mkdtempSync(join(tmpdir(), 'console-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'outside-console.txt'), 'secret');
  const serve = consoleFiles(dist);

  it('redirects / and /console to /console/', async () => {
    for (const path of ['/', '/console']) {
      const answer = await serve('GET', path);
      expect(answer?.statusCode).toBe(302);
      expect(answer?.headers.location).toBe('/console/');
    }
  });

  it('serves index.html fresh and hashed assets for a year, with the security headers', async () => {
    const index = await serve('GET', '/console/');
    expect(index?.statusCode).toBe(200);
    expect(index?.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index?.headers['cache-control']).toBe('no-cache');
    expect(index?.headers['x-frame-options']).toBe('DENY');
    expect(index?.headers['content-security-policy']).toContain("default-src 'self'");
    const asset = await serve('GET', '/console/assets/index-abc.js');
    expect(asset?.body.toString()).toBe('console.log(1)');
    expect(asset?.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('tells the console to sign in with dev tokens against this origin', async () => {
    const config = await serve('GET', '/console/config.json');
    expect(JSON.parse(config!.body.toString())).toEqual({ auth: 'local', apiUrl: '' });
  });

  it('never serves a file outside the console, and answers bad paths with a 4xx', async () => {
    expect((await serve('GET', '/console/..%2Foutside-console.txt'))?.statusCode).toBe(404);
    expect((await serve('GET', '/console/%E0%A4%A'))?.statusCode).toBe(400);
    expect((await serve('GET', '/console/missing.js'))?.statusCode).toBe(404);
    expect((await serve('POST', '/console/'))?.statusCode).toBe(405);
  });

  it('leaves every other path to the API', async () => {
    expect(await serve('GET', '/tickets/tkt_1')).toBeUndefined();
    expect(await serve('POST', '/')).toBeUndefined();
    expect(await serve('GET', '/consoles')).toBeUndefined();
  });

  it('says how to build the console when it is not built', async () => {
    const answer = await consoleFiles(join(dist, 'not-built'))('GET', '/console/');
    expect(answer?.statusCode).toBe(503);
    expect(answer?.body.toString()).toBe('The console is not built: run `npm run build:console` (npm ci runs it).');
  });
});
