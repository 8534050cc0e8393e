import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';

/** Which chain a checkpoint holds the head of: a ticket's, or a marketplace's own (exports). */
export type CheckpointedChain = { readonly kind: 'ticket'; readonly id: string } | { readonly kind: 'marketplace'; readonly id: string };

/** The head of one chain at the time it was checkpointed. */
export const checkpointSchema = z.object({
  chain: z.enum(['ticket', 'marketplace']),
  id: z.string(),
  marketplace: z.string(),
  seq: z.number().int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** Time of the head event. */
  at: z.string(),
  checkpointedAt: z.string(),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

/** `ticket/<id>/<10-digit seq>.json`: keys of one chain sort by sequence. */
const prefixOf = (chain: CheckpointedChain) => `${chain.kind}/${encodeURIComponent(chain.id)}/`;
const keyOf = (chain: CheckpointedChain, seq: number) => `${prefixOf(chain)}${String(seq).padStart(10, '0')}.json`;

/**
 * Chain-head checkpoints in the locked bucket. Each object is written once, under a key of
 * its chain and sequence, and the bucket's Object Lock (compliance mode) keeps it from being
 * deleted or overwritten, so the newest checkpoint of a chain is a floor the chain in the
 * audit table must still reach.
 */
export class CheckpointStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /** Writes a checkpoint. Writing the same head twice writes the same content again (harmless). */
  async put(checkpoint: Checkpoint): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: keyOf({ kind: checkpoint.chain, id: checkpoint.id }, checkpoint.seq),
        Body: JSON.stringify(checkpoint),
        ContentType: 'application/json',
        // Object Lock needs an integrity checksum on every write.
        ChecksumAlgorithm: 'SHA256',
      }),
    );
  }

  /** The checkpoint with the highest sequence of a chain, or `undefined` when it has none. */
  async newest(chain: CheckpointedChain): Promise<Checkpoint | undefined> {
    let lastKey: string | undefined;
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefixOf(chain), ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key && (!lastKey || object.Key > lastKey)) lastKey = object.Key;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    if (!lastKey) return undefined;
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: lastKey }));
    const text = (await object.Body?.transformToString('utf8')) ?? '';
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new Error(`checkpoint ${lastKey} is not JSON`);
    }
    return checkpointSchema.parse(raw);
  }
}
