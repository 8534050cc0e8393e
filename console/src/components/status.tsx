import { ApiFailure } from '../api/client';
import { useI18n } from '../i18n/i18n';

/** The error of a failed load or action, as the API worded it. */
export function ErrorMessage({ error }: { error: Error }) {
  const { t } = useI18n();
  const message = error instanceof ApiFailure ? `${error.status} ${error.body.message}` : error.message;
  return (
    <p class="alert" role="alert">
      {t('error', { message })}
    </p>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="muted" role="status">
      {t('loading')}
    </p>
  );
}
