// Turns any error from the API client into one line a person can read.
import { i18n } from '@/i18n';

export function errorMessage(err) {
  const { t } = i18n.global;
  if (!err) return t('errors.generic');
  if (err.status === 0) return t('errors.network');
  if (err.title) return err.title;
  if (err.detail) return err.detail;
  if (err.status) return t('errors.status', { status: err.status });
  return t('errors.generic');
}

/** "45 秒" / "3 分钟" for a wait given in seconds. */
export function formatWait(seconds) {
  const { t } = i18n.global;
  if (seconds < 90) return t('duration.seconds', { n: Math.max(1, Math.ceil(seconds)) });
  return t('duration.minutes', { n: Math.ceil(seconds / 60) });
}
