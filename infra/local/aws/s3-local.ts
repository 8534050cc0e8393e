import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import AWSAccount from 's3rver/lib/models/account.js';
import { LOCAL_CREDENTIALS } from './local-aws-environment';

export interface S3Local {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts `s3rver` (the S3 REST API over files) on 127.0.0.1 with the named buckets. It keeps
 * objects under `dataDir/s3` when the stack keeps its data, else in a temporary folder removed
 * at stop. It knows only its own access key, so the local credentials are registered with it.
 *
 * What it lacks next to S3: versioning and Object Lock (objects can be overwritten or deleted
 * locally), and signature checks (it accepts any SigV4 signature). The checkpoint code uses
 * only PutObject, ListObjectsV2 and GetObject, which behave as in S3.
 */
export async function startS3Local(bucketNames: readonly string[], dataDir?: string): Promise<S3Local> {
  AWSAccount.DUMMY_ACCOUNT.createKeyPair(LOCAL_CREDENTIALS.accessKeyId, LOCAL_CREDENTIALS.secretAccessKey);
  const directory = dataDir ? join(dataDir, 's3') : mkdtempSync(join(tmpdir(), 'aftercare-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: bucketNames.map((name) => ({ name })),
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      await server.close();
      if (!dataDir) rmSync(directory, { recursive: true, force: true });
    },
  };
}
