import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import { DEFAULT_TIME_ZONE } from './periods';

/** The zone a marketplace's report periods are counted in: its calendar's, else UTC. */
export function marketplaceTimeZone(registry: MarketplaceRegistry, marketplace: string): string {
  return registry.marketplaces[marketplace]?.calendar?.timeZone ?? DEFAULT_TIME_ZONE;
}
