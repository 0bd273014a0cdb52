// Icons and colour tones for teams (by service category) and people, so lists are easy to
// scan. Purely visual.
const CATEGORY_ICONS = {
  community: 'home-o',
  poverty: 'gift-o',
  education: 'bookmark-o',
  health: 'like-o',
  legal: 'balance-o',
  environment: 'flower-o',
  science: 'bulb-o',
  culture: 'music-o',
  safety: 'shield-o',
  civility: 'medal-o',
  traffic: 'guide-o',
  fire: 'fire-o',
  emergency: 'warning-o',
  antidrug: 'shield-o',
  sports: 'award-o',
  tourism: 'map-marked',
  special_groups: 'friends-o',
  major_events: 'flag-o',
  other: 'apps-o',
  cleaning: 'brush-o',
  patrol: 'shield-o',
  appliance_repair: 'setting-o',
  afterschool: 'bookmark-o',
  performance: 'music-o',
  haircut: 'smile-o',
  elder_care: 'like-o',
  mediation: 'chat-o',
  traffic_assist: 'guide-o',
  massage: 'like-o',
  calligraphy: 'brush-o',
  resident_help: 'service-o',
};

export const TONES = ['red', 'orange', 'teal', 'blue', 'purple', 'gold'];

export function teamIcon(team) {
  return CATEGORY_ICONS[team?.category_code] || 'cluster-o';
}

export function toneFor(id) {
  return TONES[Math.abs(Number(id) || 0) % TONES.length];
}
