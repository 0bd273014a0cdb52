// A list read page by page with the API's cursors: items, loading, error, more().
//   const list = usePaged((cursor) => teamApi.list({ q, cursor, limit: 30 }));
//   list.reload();  list.more();
import { reactive } from 'vue';

export function usePaged(fetchPage) {
  const state = reactive({
    items: [],
    loading: false,
    error: null,
    cursor: null,
    done: false,
    loaded: false,
  });
  let generation = 0;

  async function load(reset) {
    const gen = reset ? ++generation : generation;
    if (reset) {
      state.cursor = null;
      state.done = false;
      state.error = null;
    }
    if (state.done) return;
    state.loading = true;
    try {
      const page = await fetchPage(state.cursor || undefined);
      if (gen !== generation) return; // a newer reload started meanwhile
      state.items = reset ? page.items || [] : state.items.concat(page.items || []);
      state.cursor = page.next_cursor || null;
      state.done = !page.next_cursor;
      state.loaded = true;
      state.error = null;
    } catch (err) {
      if (gen === generation) state.error = err;
    } finally {
      if (gen === generation) state.loading = false;
    }
  }

  state.reload = () => load(true);
  state.more = () => (state.loading || state.done ? undefined : load(false));
  return state;
}
