import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('access patterns', () => {
  it('reads DynamoDB only by key and Query in functions/ and shared/, never by Scan', () => {
    const scanning = [...sourceFiles('functions'), ...sourceFiles('shared')].filter((file) => /\bScan(Command)?\b/.test(readFileSync(file, 'utf8')));
    expect(scanning).toEqual([]);
  });
});
