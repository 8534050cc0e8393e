import { readFileSync } from 'node:fs';
import { parseRegistry, type MarketplaceRegistry } from '@shared/config/marketplaces';

/**
 * The `demo` marketplace every local stack has, so a fresh clone can send a signed webhook
 * at once. Its secret is printed at start; it is for this machine only.
 */
export const DEMO_MARKETPLACE = 'demo';
export const DEMO_WEBHOOK_SECRET = 'demo-webhook-secret-for-local-use';

/**
 * The marketplace registry of a local stack: the demo marketplace, plus (or overridden by)
 * the marketplaces of `--config FILE`, validated like the AWS secret.
 */
export function localRegistry(configFile?: string): MarketplaceRegistry {
  const demo: MarketplaceRegistry = {
    marketplaces: { [DEMO_MARKETPLACE]: { webhookSecrets: [DEMO_WEBHOOK_SECRET] } },
    onCall: {},
  };
  if (!configFile) return demo;
  let text: string;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch (error) {
    throw new Error(`cannot read --config ${configFile}: ${(error as Error).message}`);
  }
  const fromFile = parseRegistry(text, `--config ${configFile}`);
  return {
    ...fromFile,
    marketplaces: { ...demo.marketplaces, ...fromFile.marketplaces },
    onCall: { ...demo.onCall, ...fromFile.onCall },
  };
}
