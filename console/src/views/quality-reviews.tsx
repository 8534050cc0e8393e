import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { bodyOf } from '../api/client';
import type { QualityReview, QualityReviewPage } from '../api/types';
import { defaultMarketplace } from '../auth/session';
import { QualityReviewForm, SCORE_LABEL, SCORE_NAMES } from '../components/quality-review-form';
import { ErrorMessage, Loading } from '../components/status';
import { useConsole, useLoad } from '../context';
import { useI18n } from '../i18n/i18n';
import { href } from '../router';

type StatusFilter = 'pending' | 'done' | 'all';
const STATUS_FILTERS: readonly StatusFilter[] = ['pending', 'done', 'all'];
const STATUS_LABEL = { pending: 'qualityPending', done: 'qualityDone', all: 'qualityAll' } as const;

interface Query {
  readonly marketplace: string;
  /** Any local date in the period; empty: the latest period drawn. */
  readonly period: string;
  readonly status: StatusFilter;
}

/** `YYYY-MM-DD` moved by `days` (calendar arithmetic on the date alone, no time zone involved). */
function shiftDate(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/**
 * The manager's quality review queue (`GET /quality/reviews`): the complaints a period's
 * draw picked (by default the latest period drawn), pending or done, each linked to its
 * ticket. A pending one is scored here (courtesy, accuracy, process, 1–5, and a comment); a
 * done one shows its scores, comment, reviewer and when. Above the list, the draw itself:
 * its seed and, per agent, how many complaints it picked from and how many it picked.
 */
export function QualityReviews() {
  const { api, session } = useConsole();
  const { t, dateTime } = useI18n();
  const [form, setForm] = useState<Query>({ marketplace: defaultMarketplace(session), period: '', status: 'pending' });
  const [query, setQuery] = useState<Query>(form);
  const [saved, setSaved] = useState<QualityReview>();
  const loaded = useLoad(
    async () =>
      bodyOf<QualityReviewPage>(
        await api.GET('/quality/reviews', {
          params: { query: { marketplace: query.marketplace, ...(query.period ? { period: query.period } : {}), ...(query.status === 'all' ? {} : { status: query.status }) } },
        }),
      ),
    [query.marketplace, query.period, query.status],
  );
  const show = (next: Query) => {
    setForm(next);
    setQuery(next);
    setSaved(undefined);
  };
  const page = loaded.data;

  return (
    <section aria-labelledby="quality-title">
      <h2 id="quality-title">{t('qualityTitle')}</h2>
      <form
        class="inline panel"
        aria-label={t('qualityFilter')}
        onSubmit={(event) => {
          event.preventDefault();
          show({ ...form, marketplace: form.marketplace.trim() });
        }}
      >
        <label>
          {t('marketplace')}
          <input name="marketplace" required value={form.marketplace} onInput={(event) => setForm({ ...form, marketplace: event.currentTarget.value })} />
        </label>
        <label>
          {t('qualityPeriodDate')}
          <input name="period" type="date" value={form.period} onInput={(event) => setForm({ ...form, period: event.currentTarget.value })} />
        </label>
        <label>
          {t('qualityStatus')}
          <select name="status" value={form.status} onChange={(event) => setForm({ ...form, status: event.currentTarget.value as StatusFilter })}>
            {STATUS_FILTERS.map((status) => (
              <option value={status} key={status}>
                {t(STATUS_LABEL[status])}
              </option>
            ))}
          </select>
        </label>
        <button class="primary" type="submit">
          {t('show')}
        </button>
      </form>

      {loaded.error && <ErrorMessage error={loaded.error} />}
      {!page && !loaded.error && <Loading />}
      {page && (
        <>
          {page.period ? (
            <div class="row-actions period-nav" data-testid="quality-period">
              <p>
                {t('qualityPeriodRange', { start: page.period.start, last: shiftDate(page.period.end, -1), zone: page.timeZone })}
              </p>
              <button class="secondary small" type="button" onClick={() => show({ ...query, period: shiftDate(page.period!.start, -1) })}>
                {t('qualityPrevious')}
              </button>
              <button class="secondary small" type="button" onClick={() => show({ ...query, period: page.period!.end })}>
                {t('qualityNext')}
              </button>
            </div>
          ) : null}
          {page.draw ? <DrawSummary draw={page.draw} /> : <p>{page.period ? t('qualityNotDrawn') : t('qualityNoDraw')}</p>}
          {saved && (
            <p class="notice" role="status">
              {t('qualitySaved', { ticket: saved.ticketId })}
            </p>
          )}
          {page.draw && page.reviews.length === 0 && <p>{t('qualityNone')}</p>}
          {page.reviews.length > 0 && (
            <ul class="reviews" aria-label={t('qualityReviews')}>
              {page.reviews.map((review) => (
                <li key={review.id} class="panel" data-testid="quality-review" data-ticket={review.ticketId}>
                  <div class="review-head">
                    <a href={href(`/tickets/${encodeURIComponent(review.ticketId)}`)}>{review.ticketId}</a>
                    <span>{t('qualityAgent', { agent: review.agent })}</span>
                    <span class={`badge ${review.status === 'done' ? 'ok' : 'warn'}`}>{t(STATUS_LABEL[review.status])}</span>
                  </div>
                  {review.status === 'done' ? (
                    <ReviewDone review={review} dateTime={dateTime} />
                  ) : (
                    <QualityReviewForm
                      review={review}
                      onReload={loaded.reload}
                      onReviewed={(done) => {
                        setSaved(done);
                        loaded.reload();
                      }}
                    />
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function DrawSummary({ draw }: { draw: NonNullable<QualityReviewPage['draw']> }) {
  const { t, dateTime } = useI18n();
  return (
    <>
      <p class="muted">{t('qualityDrawn', { at: dateTime(draw.drawnAt), percent: Math.round(draw.share * 1000) / 10, seed: draw.seed })}</p>
      <table class="compact">
        <caption>{t('qualityDrawByAgent')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('qualityAgentColumn')}</th>
            <th scope="col">{t('qualityClosed')}</th>
            <th scope="col">{t('qualityDrawnCount')}</th>
          </tr>
        </thead>
        <tbody>
          {draw.agents.map((agent) => (
            <tr key={agent.agent}>
              <th scope="row">{agent.agent}</th>
              <td>{agent.closed}</td>
              <td>{agent.drawn.length}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function ReviewDone({ review, dateTime }: { review: QualityReview; dateTime: (iso: string) => string }) {
  const { t } = useI18n();
  return (
    <div data-testid="quality-result">
      <dl class="facts">
        {SCORE_NAMES.map((name) => (
          <Fragment key={name}>
            <dt>{t(SCORE_LABEL[name])}</dt>
            <dd data-score={name}>{review.scores?.[name] ?? '—'} / 5</dd>
          </Fragment>
        ))}
        <dt>{t('qualityComment')}</dt>
        <dd class="message-text">{review.comment}</dd>
      </dl>
      {review.reviewedBy && review.reviewedAt && <p class="muted" data-testid="quality-reviewer">{t('qualityReviewedBy', { by: review.reviewedBy, at: dateTime(review.reviewedAt) })}</p>}
    </div>
  );
}
