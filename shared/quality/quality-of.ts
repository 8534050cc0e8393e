import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import { DEFAULT_QUALITY, type QualityConfig } from './quality-config';

/** A marketplace's quality spot-check settings, the defaults where it names none. */
export function qualityOf(registry: MarketplaceRegistry, marketplace: string): QualityConfig {
  return { ...DEFAULT_QUALITY, ...registry.marketplaces[marketplace]?.quality };
}
