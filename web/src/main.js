// rexin web UI entry: Vue 3 + Vant 4 + vue-i18n + vue-router.
import { createApp } from 'vue';
import App from './App.vue';
import { i18n } from './i18n';
import { router } from './router';
import vant from './lib/vant';
import './lib/prefs'; // applies the remembered age-friendly mode before the first paint
import './styles/theme.css';
import './styles/pieces.css';

createApp(App).use(i18n).use(router).use(vant).mount('#app');
