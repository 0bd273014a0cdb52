// Age-friendly mode (长辈模式): a class on <html> that theme.css turns into larger type,
// stronger contrast and bigger touch targets. Remembered in localStorage.
import { ref } from 'vue';

const STORAGE_KEY = 'rexin.elder';
export const ELDER_CLASS = 'rx-elder';

function stored() {
  try {
    return localStorage.getItem(STORAGE_KEY) === '1';
  } catch {
    return false;
  }
}

export const elderMode = ref(stored());

function apply(on) {
  if (typeof document !== 'undefined') document.documentElement.classList.toggle(ELDER_CLASS, on);
}

export function setElderMode(on) {
  elderMode.value = !!on;
  apply(elderMode.value);
  try {
    localStorage.setItem(STORAGE_KEY, elderMode.value ? '1' : '0');
  } catch {
    /* private mode: lasts for this page only */
  }
}

apply(elderMode.value);
