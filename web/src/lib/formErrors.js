// Field errors for a form: what the server said about each field (ApiError.fieldErrors),
// plus checks made in the browser, shown with van-field :error-message.
//
//   const fe = useFormErrors(['name', 'code']);
//   <van-field :error-message="fe.msg.name" @update:model-value="fe.clear('name')" />
//   try { ... } catch (err) { fe.fromError(err) }   // toasts whatever has no field here
//
// The server answers in the language of the request, but a person may switch language
// while its message is on screen. So a message is worded from its code when the language
// files know it (apiErrors.*, the server's own texts without the ids some append, e.g.
// "person 12, team 4"), and is the server's message as sent otherwise.
import { computed, reactive } from 'vue';
import { showToast } from 'vant';
import { i18n } from '@/i18n';
import { errorMessage } from './errors';

export function useFormErrors(fields, { fieldOf = (f) => f } = {}) {
  const server = reactive({}); // field -> {message, code}
  const local = reactive({}); // field -> {key, params}

  const msg = computed(() => {
    const { t, te } = i18n.global;
    const out = {};
    for (const f of fields) {
      if (local[f]) out[f] = t(local[f].key, local[f].params || {});
      else if (server[f]) {
        const s = server[f];
        out[f] = te(`apiErrors.${s.code}`) ? t(`apiErrors.${s.code}`) : s.message;
      } else out[f] = '';
    }
    return out;
  });

  function clear(field) {
    delete server[field];
    delete local[field];
  }
  function clearAll() {
    for (const f of fields) clear(f);
  }
  /** A browser-side message (an i18n key) for a field. */
  function set(field, key, params) {
    local[field] = { key, params };
  }
  function any() {
    return fields.some((f) => server[f] || local[f]);
  }

  /**
   * Puts an ApiError's field errors next to their fields. Anything that has no field in
   * this form becomes a toast. Returns true when at least one error found its field.
   */
  function fromError(err, { toast = true } = {}) {
    const byField = typeof err?.fieldErrors === 'function' ? err.fieldErrors() : {};
    let placed = false;
    let outside = false;
    for (const [raw, message] of Object.entries(byField)) {
      const f = fieldOf(raw);
      if (!f || !fields.includes(f)) {
        outside = true;
        continue;
      }
      const e = err.errors.find((x) => x && x.field === raw);
      server[f] = { message, code: e?.code || '' };
      delete local[f];
      placed = true;
    }
    if (toast && (!placed || outside)) showToast({ message: errorMessage(err), duration: 3000 });
    return placed;
  }

  return reactive({ msg, clear, clearAll, set, any, fromError });
}
