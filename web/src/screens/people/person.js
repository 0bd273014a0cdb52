// Codes the people screens show in words (political status, ID types, vulnerable flags).
export const POL_STATUSES = ['01', '02', '03', '13', '12', 'democratic_party', '04', '05', '06', '07', '08', '09', '10', '11'];
// The statuses worth a filter chip; the rest are rare.
export const POL_FILTERS = ['01', '02', '03', '13', '12', 'democratic_party'];
export const ID_TYPES = ['resident_id', 'hk_mo_tw_residence', 'passport', 'other'];
export const VULNERABLE = ['lonely_elderly', 'lives_alone', 'disabled', 'very_old'];

export const isPartyMember = (p) => p.political_status === '01' || p.political_status === '02' || !!p.party_branch_id;

/** "理发, 修家电；书法" -> ['理发', '修家电', '书法'] (commas, 、 and semicolons separate). */
export function splitTags(s) {
  return String(s || '')
    .split(/[,，、;；\n]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}
