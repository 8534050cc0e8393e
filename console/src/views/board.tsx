import { bodyOf } from '../api/client';
import type { ManagerSummary, TicketStage } from '../api/types';
import { defaultMarketplace } from '../auth/session';
import { QueueList } from '../components/queue-list';
import { ErrorMessage, Loading } from '../components/status';
import { useConsole, useLoad } from '../context';
import { useInterval } from '../hooks/use-interval';
import { useI18n } from '../i18n/i18n';
import { useQueue } from '../queue/use-queue';

/** The board reads its counts and lists again this often, in place: no page reload. */
export const BOARD_REFRESH_MS = 5_000;

/**
 * A manager's board: open tickets by stage × tier with totals, and how many are at risk,
 * breached and unassigned (per tier), from `GET /tickets/summary`; below it the at-risk and
 * breached tickets themselves with live countdowns. Everything refreshes on its own.
 */
export function Board() {
  const { api, session } = useConsole();
  const { t, dateTime } = useI18n();
  const marketplace = defaultMarketplace(session);
  const summary = useLoad(async () => bodyOf<ManagerSummary>(await api.GET('/tickets/summary', { params: { query: { marketplace } } })), [marketplace]);
  useInterval(summary.reload, BOARD_REFRESH_MS);
  const atRisk = useQueue([{ marketplace, atRisk: 'true' }], BOARD_REFRESH_MS);
  const breached = useQueue([{ marketplace, breached: 'true' }], BOARD_REFRESH_MS);

  return (
    <>
      <section aria-labelledby="board-title">
        <h2 id="board-title">{t('boardTitle')}</h2>
        <div class="row-actions">
          <button class="secondary" type="button" onClick={() => { summary.reload(); atRisk.reload(); breached.reload(); }}>
            {t('refresh')}
          </button>
        </div>
        {summary.error && <ErrorMessage error={summary.error} />}
        {!summary.data && !summary.error && <Loading />}
        {summary.data && <SummaryView summary={summary.data} />}
        {summary.data && (
          <p class="muted" data-testid="board-as-of">
            {t('boardRefreshes', { at: dateTime(summary.data.asOf), seconds: BOARD_REFRESH_MS / 1000 })}
          </p>
        )}
      </section>
      <section class="panel" aria-labelledby="at-risk-title">
        <h3 id="at-risk-title">{t('atRiskTickets')}</h3>
        <QueueList queue={atRisk} label={t('atRiskTickets')} />
      </section>
      <section class="panel" aria-labelledby="breached-title">
        <h3 id="breached-title">{t('breachedTickets')}</h3>
        <QueueList queue={breached} label={t('breachedTickets')} />
      </section>
    </>
  );
}

/** The summary's totals as cards, and its stage × tier counts as a table with per-tier rows for at risk, breached and unassigned. */
function SummaryView({ summary: data }: { summary: ManagerSummary }) {
  const { t, catalogue } = useI18n();
  const tiers = [...new Set(data.byStageAndTier.map((cell) => cell.tier))].sort((a, b) => a - b);
  const stages = [...new Set(data.byStageAndTier.map((cell) => cell.stage))];
  const count = (stage: string, tier: number) => data.byStageAndTier.find((cell) => cell.stage === stage && cell.tier === tier)?.count ?? 0;
  const cards = [
    { key: 'open', label: t('boardOpen'), total: data.open, tone: '' },
    { key: 'atRisk', label: t('boardAtRisk'), total: data.atRisk.total, tone: data.atRisk.total ? 'warn' : '' },
    { key: 'breached', label: t('boardBreached'), total: data.breached.total, tone: data.breached.total ? 'bad' : '' },
    { key: 'unassigned', label: t('boardUnassigned'), total: data.unassigned.total, tone: '' },
  ];
  return (
    <>
      <dl class="cards">
        {cards.map((card) => (
          <div class={`card ${card.tone}`} key={card.key} data-testid={`board-${card.key}`}>
            <dt>{card.label}</dt>
            <dd>{card.total}</dd>
          </div>
        ))}
      </dl>
      <table aria-label={t('boardByStage')}>
        <caption>{t('boardByStage')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('stage')}</th>
            {tiers.map((tier) => (
              <th scope="col" key={tier}>
                {t('tier')} {tier}
              </th>
            ))}
            <th scope="col">{t('total')}</th>
          </tr>
        </thead>
        <tbody>
          {stages.map((stage) => (
            <tr key={stage} data-stage={stage}>
              <th scope="row">{catalogue.stages[stage as TicketStage] ?? stage}</th>
              {tiers.map((tier) => (
                <td key={tier}>{count(stage, tier)}</td>
              ))}
              <td>{tiers.reduce((sum, tier) => sum + count(stage, tier), 0)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          {(
            [
              ['boardAtRisk', data.atRisk],
              ['boardBreached', data.breached],
              ['boardUnassigned', data.unassigned],
            ] as const
          ).map(([label, counts]) => (
            <tr key={label}>
              <th scope="row">{t(label)}</th>
              {tiers.map((tier) => (
                <td key={tier}>{counts.byTier[String(tier)] ?? 0}</td>
              ))}
              <td>{counts.total}</td>
            </tr>
          ))}
        </tfoot>
      </table>
    </>
  );
}
