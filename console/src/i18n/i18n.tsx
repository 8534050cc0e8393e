import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { CATALOGUES, LANGUAGES, type Catalogue, type Language, type MessageKey } from './messages';

const STORAGE_KEY = 'aftercare.language';

/** The browser's preferred language among ours: Chinese for any `zh-*`, else English. */
export function browserLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'zh') return 'zh';
    if (base === 'en') return 'en';
  }
  return 'en';
}

function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved && (LANGUAGES as readonly string[]).includes(saved)) return saved as Language;
  return browserLanguage(navigator.languages ?? [navigator.language]);
}

export interface I18n {
  readonly language: Language;
  readonly setLanguage: (language: Language) => void;
  readonly catalogue: Catalogue;
  /** The label `key` with `{name}` placeholders filled in. */
  readonly t: (key: MessageKey, values?: Record<string, string | number>) => string;
  /** A timestamp in the reader's language, to the second, in the browser's time zone. */
  readonly dateTime: (iso: string) => string;
  /** A length of time, e.g. "1 h 05 min" / "1小时05分". */
  readonly duration: (seconds: number) => string;
}

const I18nContext = createContext<I18n | undefined>(undefined);

export function I18nProvider({ children }: { children: ComponentChildren }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  }, [language]);
  const value = useMemo<I18n>(() => {
    const catalogue = CATALOGUES[language];
    const dateFormat = new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
    return {
      language,
      catalogue,
      setLanguage(next) {
        localStorage.setItem(STORAGE_KEY, next);
        setLanguageState(next);
      },
      t: (key, values = {}) => catalogue.messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole)),
      dateTime: (iso) => dateFormat.format(new Date(iso)),
      duration: (seconds) => formatDuration(seconds, language),
    };
  }, [language]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}

function formatDuration(totalSeconds: number, language: Language): string {
  const seconds = Math.max(0, Math.round(Math.abs(totalSeconds)));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const units = language === 'zh' ? { d: '天', h: '小时', m: '分', s: '秒' } : { d: ' d', h: ' h', m: ' min', s: ' s' };
  const parts: string[] = [];
  if (days) parts.push(`${days}${units.d}`);
  if (days || hours) parts.push(`${hours}${units.h}`);
  if (!days) parts.push(`${minutes}${units.m}`);
  if (!days && !hours) parts.push(`${rest}${units.s}`);
  return parts.join(language === 'zh' ? '' : ' ');
}
