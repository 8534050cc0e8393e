import type { ChainVerification } from '../api/types';
import { useI18n } from '../i18n/i18n';

/** The hash chain's verdict in one plain sentence: intact, or the first event that does not fit. */
export function ChainVerdict({ chain }: { chain: ChainVerification }) {
  const { t } = useI18n();
  return chain.valid ? (
    <p class="verdict ok" role="status" data-testid="chain-verdict">
      ✓ {t('chainIntact', { count: chain.events })}
    </p>
  ) : (
    <p class="verdict bad" role="alert" data-testid="chain-verdict">
      ✗ {t('chainBroken', { seq: chain.brokenAtSeq, problem: chain.problem })}
    </p>
  );
}
