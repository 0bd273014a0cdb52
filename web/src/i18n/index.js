// UI language: zh-CN by default, en on request; the choice is kept in localStorage.
// Switching also switches Vant's built-in texts and <html lang>, and the API client sends
// the current language as Accept-Language so server messages match.
import { createI18n } from 'vue-i18n';
import { Locale } from 'vant';
import vantZhCN from 'vant/es/locale/lang/zh-CN';
import vantEnUS from 'vant/es/locale/lang/en-US';
import zhCN from './zh-CN.js';
import en from './en.js';

export const LANGUAGES = ['zh-CN', 'en'];
export const DEFAULT_LANGUAGE = 'zh-CN';
const STORAGE_KEY = 'rexin.lang';
const VANT = { 'zh-CN': ['zh-CN', vantZhCN], en: ['en-US', vantEnUS] };

function storedLanguage() {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return LANGUAGES.includes(v) ? v : null;
  } catch {
    return null;
  }
}

export const i18n = createI18n({
  legacy: false,
  globalInjection: true,
  locale: storedLanguage() || DEFAULT_LANGUAGE,
  fallbackLocale: DEFAULT_LANGUAGE,
  messages: { 'zh-CN': zhCN, en },
});

export function currentLanguage() {
  return i18n.global.locale.value;
}

function apply(lang) {
  i18n.global.locale.value = lang;
  Locale.use(...VANT[lang]);
  if (typeof document !== 'undefined') {
    document.documentElement.lang = lang;
    document.title = i18n.global.t('app.fullName');
  }
}

/** Switch the UI language and remember it. Unknown values are ignored. */
export function setLanguage(lang) {
  if (!LANGUAGES.includes(lang)) return;
  apply(lang);
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
}

apply(currentLanguage());
