// Which kinds of unit may sit under which (the server checks the same: kind_not_allowed).
export const CHILD_KINDS = {
  city: ['district'],
  district: ['street', 'community', 'venue'],
  street: ['community', 'venue'],
  community: ['venue'],
  venue: [],
};

export const KIND_ICONS = {
  city: 'map-marked',
  district: 'location-o',
  street: 'guide-o',
  community: 'home-o',
  venue: 'shop-o',
};
