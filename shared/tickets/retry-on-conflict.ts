import { VersionConflictError } from '@shared/errors';

/**
 * Runs a read-modify-write step again when another writer won the race, up to `attempts`
 * times. Used by system writers (workflow steps, consumers), which re-read and re-decide;
 * API callers get the 409 instead.
 */
export async function retryOnConflict<T>(step: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= attempts) throw error;
    }
  }
}
