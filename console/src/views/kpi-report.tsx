import type { ReportPeriod } from '@shared/reports/periods';
import type { ChartConfiguration } from 'chart.js';
import { useMemo, useState } from 'preact/hooks';
import { bodyOf } from '../api/client';
import type { CsatBand, KpiReport, KpiRow } from '../api/types';
import { defaultMarketplace } from '../auth/session';
import { KpiChart, type Band } from '../components/kpi-chart';
import { ErrorMessage, Loading } from '../components/status';
import { useConsole, useLoad } from '../context';
import { useI18n } from '../i18n/i18n';

const PERIODS: readonly ReportPeriod[] = ['day', 'week', 'month', 'quarter', 'year'];

/** The handbook's CSAT bands as the report sets them (`csat.band`): ≥ 80 % excellent, 70–80 % good, below needs improvement. */
const CSAT_BANDS: readonly (Band & { band: CsatBand })[] = [
  { band: 'needs_improvement', from: 0, to: 70, colour: 'rgba(179, 38, 30, 0.10)' },
  { band: 'good', from: 70, to: 80, colour: 'rgba(138, 83, 0, 0.14)' },
  { band: 'excellent', from: 80, to: 100, colour: 'rgba(20, 108, 46, 0.12)' },
];
const BAND_COLOUR: Record<CsatBand, string> = { excellent: '#146c2e', good: '#8a5300', needs_improvement: '#b3261e' };
const ACCENT = '#0b5cad';
const TARGET = '#4a5360';

/** A share as a percentage for the charts' y axis (null: nothing counted, no bar). */
const percent = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 10);

/**
 * A marketplace's KPIs per period from `GET /reports/kpis`, as charts (chart.js) with the
 * figures in a table beside them: first responses on time, the resolution rate against its
 * target, and CSAT (the satisfied share) over the handbook's bands, each bar coloured by its band.
 */
export function KpiReportView() {
  const { api, session } = useConsole();
  const { t, catalogue, language } = useI18n();
  const [marketplace, setMarketplace] = useState(defaultMarketplace(session));
  const [period, setPeriod] = useState<ReportPeriod>('month');
  const [query, setQuery] = useState({ marketplace, period });
  const loaded = useLoad(async () => bodyOf<KpiReport>(await api.GET('/reports/kpis', { params: { query } })), [query.marketplace, query.period]);
  const rows = loaded.data?.rows ?? [];
  const share = useMemo(() => new Intl.NumberFormat(language === 'zh' ? 'zh-CN' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 }), [language]);
  const ratio = (figure: { value: number | null; numerator: number; denominator: number }) =>
    figure.value === null ? t('kpiNoData') : t('kpiShare', { percent: share.format(figure.value), numerator: figure.numerator, denominator: figure.denominator });

  const charts = useMemo(() => chartConfigs(rows, { t, bandLabel: (band) => catalogue.bands[band], targetPercent: share }), [rows, t, catalogue, share]);

  return (
    <section aria-labelledby="kpi-title">
      <h2 id="kpi-title">{t('kpiTitle')}</h2>
      <form
        class="inline panel"
        onSubmit={(event) => {
          event.preventDefault();
          setQuery({ marketplace: marketplace.trim(), period });
        }}
      >
        <label>
          {t('marketplace')}
          <input name="marketplace" required value={marketplace} onInput={(event) => setMarketplace(event.currentTarget.value)} />
        </label>
        <label>
          {t('period')}
          <select name="period" value={period} onChange={(event) => setPeriod(event.currentTarget.value as ReportPeriod)}>
            {PERIODS.map((option) => (
              <option value={option} key={option}>
                {catalogue.periods[option]}
              </option>
            ))}
          </select>
        </label>
        <button class="primary" type="submit">
          {t('show')}
        </button>
      </form>
      {loaded.error && <ErrorMessage error={loaded.error} />}
      {!loaded.data && !loaded.error && <Loading />}
      {loaded.data && (
        <>
          <div class="charts">
            <figure class="panel">
              <figcaption>{t('kpiFirstResponseOnTime')}</figcaption>
              <KpiChart config={charts.firstResponse} summary={t('kpiFirstResponseOnTime')} testId="chart-first-response" />
            </figure>
            <figure class="panel">
              <figcaption>{t('kpiResolutionRate')}</figcaption>
              <KpiChart config={charts.resolution} summary={t('kpiResolutionRate')} testId="chart-resolution" />
            </figure>
            <figure class="panel">
              <figcaption>{t('kpiCsat')}</figcaption>
              <KpiChart config={charts.csat} summary={`${t('kpiCsat')} — ${t('kpiCsatBands')}`} bands={CSAT_BANDS} testId="chart-csat" />
              <p class="muted">{t('kpiCsatBands')}</p>
            </figure>
          </div>
          <table aria-label={t('kpiFigures')}>
            <caption>{t('kpiFigures')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('period')}</th>
                <th scope="col">{t('kpiOpened')}</th>
                <th scope="col">{t('kpiFirstResponseOnTime')}</th>
                <th scope="col">{t('kpiResolutionRate')}</th>
                <th scope="col">{t('kpiCsat')}</th>
                <th scope="col">{t('kpiBand')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.period}-${row.group}`} data-period={row.period}>
                  <th scope="row">{row.period}</th>
                  <td>{row.volume.opened}</td>
                  <td>{ratio(row.firstResponse.onTime)}</td>
                  <td>{ratio(row.resolutionRate)}</td>
                  <td>{ratio(row.csat.satisfied)}</td>
                  <td>{row.csat.band ? <span class={`badge ${row.csat.band === 'excellent' ? 'ok' : row.csat.band === 'good' ? 'warn' : 'bad'}`}>{catalogue.bands[row.csat.band]}</span> : t('kpiNoData')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

type Translate = ReturnType<typeof useI18n>['t'];

/** The three charts' configurations for `rows`, labelled in the reader's language. */
function chartConfigs(rows: readonly KpiRow[], { t, bandLabel, targetPercent }: { t: Translate; bandLabel: (band: CsatBand) => string; targetPercent: Intl.NumberFormat }) {
  const labels = rows.map((row) => row.period);
  const percentAxis = { y: { min: 0, max: 100, ticks: { callback: (value: string | number) => `${value} %` } } };
  const base = { responsive: true, maintainAspectRatio: false, animation: false as const, scales: percentAxis };
  const target = rows[0]?.resolutionRate.target ?? 0.95;

  const firstResponse: ChartConfiguration<'bar' | 'line'> = {
    type: 'line',
    data: { labels, datasets: [{ label: t('kpiFirstResponseOnTime'), data: rows.map((row) => percent(row.firstResponse.onTime.value)), borderColor: ACCENT, backgroundColor: ACCENT, spanGaps: true }] },
    options: base,
  };
  const resolution: ChartConfiguration<'bar' | 'line'> = {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { type: 'bar', label: t('kpiResolutionRate'), data: rows.map((row) => percent(row.resolutionRate.value)), backgroundColor: ACCENT },
        { type: 'line', label: t('kpiTarget', { percent: targetPercent.format(target) }), data: rows.map(() => target * 100), borderColor: TARGET, borderDash: [6, 4], pointRadius: 0 },
      ],
    },
    options: base,
  };
  const csat: ChartConfiguration<'bar' | 'line'> = {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          label: t('kpiCsat'),
          data: rows.map((row) => percent(row.csat.satisfied.value)),
          backgroundColor: rows.map((row) => (row.csat.band ? BAND_COLOUR[row.csat.band] : TARGET)),
        },
      ],
    },
    options: {
      ...base,
      plugins: {
        tooltip: { callbacks: { afterLabel: (item) => { const band = rows[item.dataIndex]?.csat.band; return band ? bandLabel(band) : ''; } } },
      },
    },
  };
  return { firstResponse, resolution, csat };
}
