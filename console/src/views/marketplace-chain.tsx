import { useState } from 'preact/hooks';
import { bodyOf } from '../api/client';
import type { MarketplaceChain as Chain } from '../api/types';
import { defaultMarketplace } from '../auth/session';
import { AuditTable } from '../components/audit-table';
import { ChainVerdict } from '../components/chain-verdict';
import { ErrorMessage, Loading } from '../components/status';
import { useConsole, useLoad } from '../context';
import { useI18n } from '../i18n/i18n';

/** The marketplace's own chain (its exports), verified. */
export function MarketplaceChain() {
  const { api, session } = useConsole();
  const { t } = useI18n();
  const [marketplace, setMarketplace] = useState(defaultMarketplace(session));
  const [shown, setShown] = useState(marketplace);
  const loaded = useLoad(
    async () => bodyOf<Chain>(await api.GET('/audit/marketplaces/{marketplace}/chain', { params: { path: { marketplace: shown } } })),
    [shown],
  );
  return (
    <section aria-labelledby="chain-title">
      <h2 id="chain-title">{t('marketplaceChain')}</h2>
      <form
        class="inline panel"
        onSubmit={(event) => {
          event.preventDefault();
          setShown(marketplace.trim());
        }}
      >
        <label>
          {t('marketplace')}
          <input name="marketplace" required value={marketplace} onInput={(event) => setMarketplace(event.currentTarget.value)} />
        </label>
        <button class="primary" type="submit">
          {t('open')}
        </button>
      </form>
      {loaded.error && <ErrorMessage error={loaded.error} />}
      {!loaded.data && !loaded.error && <Loading />}
      {loaded.data && (
        <>
          <ChainVerdict chain={loaded.data.chain} />
          {loaded.data.events.length === 0 ? (
            <p>{t('chainEmpty')}</p>
          ) : (
            <AuditTable events={loaded.data.events} brokenAtSeq={loaded.data.chain.valid ? undefined : loaded.data.chain.brokenAtSeq} />
          )}
        </>
      )}
    </section>
  );
}
