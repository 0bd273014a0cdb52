// The service categories (national ones and communities' own), loaded once per community
// filter and shared. Arranged as a tree for pickers: top-level categories with their subs.
import { categoryApi } from '@/api/client';

const cache = new Map(); // org_unit_id|'' -> Promise<[ServiceCategory]>

export function loadCategories(orgUnitId = '') {
  const key = orgUnitId || '';
  if (!cache.has(key)) {
    const p = (async () => {
      const all = [];
      let cursor;
      for (let i = 0; i < 20; i++) {
        const page = await categoryApi.list({ org_unit_id: key || undefined, limit: 200, cursor });
        all.push(...(page.items || []));
        if (!page.next_cursor) break;
        cursor = page.next_cursor;
      }
      return all;
    })().catch((err) => {
      cache.delete(key);
      throw err;
    });
    cache.set(key, p);
  }
  return cache.get(key);
}

/** [{...top, children: [...subs]}] in the server's order. */
export function categoryTree(list) {
  const tops = list.filter((c) => !c.parent_id).map((c) => ({ ...c, children: [] }));
  const byId = new Map(tops.map((c) => [c.id, c]));
  for (const c of list) if (c.parent_id && byId.has(c.parent_id)) byId.get(c.parent_id).children.push(c);
  return tops;
}
