import { useState } from 'preact/hooks';
import { ApiFailure, bodyOf } from '../api/client';
import type { QualityReview, QualityReviewAnswer, QualityScores } from '../api/types';
import { useConsole } from '../context';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { ErrorMessage } from './status';

export const SCORE_NAMES = ['courtesy', 'accuracy', 'process'] as const satisfies readonly (keyof QualityScores)[];
export const SCORE_LABEL = { courtesy: 'scoreCourtesy', accuracy: 'scoreAccuracy', process: 'scoreProcess' } as const satisfies Record<keyof QualityScores, MessageKey>;
const SCORES = [1, 2, 3, 4, 5] as const;
/** The API's limit on a review's comment. */
const COMMENT_MAX = 2000;

type Draft = Record<keyof QualityScores, string>;

/**
 * The scores of one drawn complaint (courtesy, accuracy, process, each 1–5, none chosen
 * beforehand so every score is a decision) and the reviewer's comment, sent as `POST
 * /quality/reviews/{id}`. The API's refusal is shown as it worded it; a 409 (someone
 * reviewed it meanwhile) offers to reload the list, which then shows their review.
 */
export function QualityReviewForm({ review, onReviewed, onReload }: { review: QualityReview; onReviewed: (review: QualityReview) => void; onReload: () => void }) {
  const { api } = useConsole();
  const { t } = useI18n();
  const [scores, setScores] = useState<Draft>({ courtesy: '', accuracy: '', process: '' });
  const [comment, setComment] = useState('');
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const idOf = (name: string) => `${review.id}-${name}`;

  return (
    <form
      class="review-form"
      aria-label={t('qualityReviewOf', { ticket: review.ticketId })}
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        setError(undefined);
        try {
          const body = { courtesy: Number(scores.courtesy), accuracy: Number(scores.accuracy), process: Number(scores.process), comment };
          const answer = bodyOf<QualityReviewAnswer>(await api.POST('/quality/reviews/{id}', { params: { path: { id: review.id } }, body }));
          onReviewed(answer.review);
        } catch (failure) {
          setError(failure as Error);
        } finally {
          setBusy(false);
        }
      }}
    >
      <div class="inline-controls">
        {SCORE_NAMES.map((name) => (
          <label key={name} for={idOf(name)}>
            {t(SCORE_LABEL[name])}
            <select id={idOf(name)} name={name} required value={scores[name]} onChange={(event) => setScores({ ...scores, [name]: event.currentTarget.value })}>
              <option value="">{t('scoreChoose')}</option>
              {SCORES.map((value) => (
                <option value={String(value)} key={value}>
                  {value}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      <label for={idOf('comment')}>
        {t('qualityComment')}
        <textarea id={idOf('comment')} name="comment" required maxLength={COMMENT_MAX} value={comment} onInput={(event) => setComment(event.currentTarget.value)} />
      </label>
      <div class="row-actions">
        <button class="primary" type="submit" disabled={busy}>
          {t('qualitySubmit')}
        </button>
      </div>
      {error && <ErrorMessage error={error} />}
      {error instanceof ApiFailure && error.status === 409 && (
        <button class="secondary" type="button" onClick={onReload}>
          {t('qualityReload')}
        </button>
      )}
    </form>
  );
}
