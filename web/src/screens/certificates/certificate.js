// Small helpers shared by the certificate screens.
export const STATUS_TONE = { requested: 'warning', issued: 'success', revoked: 'default' };

/** "代书胡同社区" or "代书胡同社区 · 书梦艺术团" */
export function issuerName(c) {
  return c.team_name ? `${c.org_unit_name} · ${c.team_name}` : c.org_unit_name;
}
