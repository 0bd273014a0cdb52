// Whether the window is wide (side navigation, 960px and up), as a ref that follows it.
import { ref } from 'vue';

const query = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(min-width: 960px)') : null;
export const isWide = ref(query ? query.matches : false);
query?.addEventListener('change', (e) => {
  isWide.value = e.matches;
});
