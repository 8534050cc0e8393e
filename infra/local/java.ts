import { spawnSync } from 'node:child_process';

/** DynamoDB Local, AWS's own, runs on Java; this is the oldest version it supports. */
export const MINIMUM_JAVA_MAJOR = 17;

const INSTALL_HINT =
  'Install a Java runtime 17 or newer, for example `sudo apt-get install openjdk-17-jre-headless` ' +
  '(Debian/Ubuntu), `brew install openjdk@17` (macOS) or https://adoptium.net, and make sure `java` is on your PATH.';

/**
 * Checks that `java` 17+ is on the PATH. Returns a message saying what is wrong and how to
 * fix it, or `undefined` when Java is fine.
 */
export function javaProblem(): string | undefined {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) {
    return `Java was not found: DynamoDB Local needs Java ${MINIMUM_JAVA_MAJOR}+. ${INSTALL_HINT}`;
  }
  const text = `${result.stderr}${result.stdout}`;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : NaN;
  if (!(major >= MINIMUM_JAVA_MAJOR)) {
    return `Java ${MINIMUM_JAVA_MAJOR}+ is required for DynamoDB Local, found: ${text.split('\n')[0] ?? 'unknown'}. ${INSTALL_HINT}`;
  }
  return undefined;
}
