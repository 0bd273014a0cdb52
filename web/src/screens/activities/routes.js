// Routes of the activity screens: finding and signing up, my schedule, organising (create,
// edit, the check-in code, attendance and the kiosk, records), the QR landing page, my hours
// and records. Kept here so that router.js only spreads them in.
const id = ':id(\\d+)';

export const activityRoutes = [
  { path: '/activities', name: 'activities', component: () => import('./ActivitiesScreen.vue'), meta: { area: 'activities' } },
  {
    path: '/activities/schedule',
    name: 'my-schedule',
    component: () => import('@/screens/my-schedule/MyScheduleScreen.vue'),
    meta: { area: 'activities' },
  },
  {
    path: '/activities/manage',
    name: 'activities-manage',
    component: () => import('@/screens/manage-activities/ManageActivitiesScreen.vue'),
    meta: { area: 'activities' },
  },
  {
    path: '/activities/new',
    name: 'activity-new',
    component: () => import('@/screens/activity-form/ActivityFormScreen.vue'),
    meta: { area: 'activities' },
  },
  { path: `/activities/${id}`, name: 'activity', component: () => import('@/screens/activity/ActivityScreen.vue'), meta: { area: 'activities' } },
  {
    path: `/activities/${id}/edit`,
    name: 'activity-edit',
    component: () => import('@/screens/activity-form/ActivityFormScreen.vue'),
    meta: { area: 'activities' },
  },
  {
    path: `/activities/${id}/code`,
    name: 'checkin-code',
    component: () => import('@/screens/checkin-code/CheckinCodeScreen.vue'),
    meta: { bare: true },
  },
  {
    path: `/activities/${id}/attendance`,
    name: 'attendance',
    component: () => import('@/screens/attendance/AttendanceScreen.vue'),
    meta: { area: 'activities' },
  },
  {
    path: `/activities/${id}/kiosk`,
    name: 'kiosk',
    component: () => import('@/screens/attendance/AttendanceScreen.vue'),
    props: { kiosk: true },
    meta: { bare: true },
  },
  {
    path: `/activities/${id}/records`,
    name: 'activity-records',
    component: () => import('@/screens/activity-records/ActivityRecordsScreen.vue'),
    meta: { area: 'activities' },
  },
  // Where the check-in QR code points (<base>/checkin/{id}?t=TOKEN): signed-in only; the
  // sign-in guard keeps the token in ?redirect=.
  { path: `/checkin/${id}`, name: 'checkin', component: () => import('@/screens/checkin/CheckinScreen.vue'), meta: { bare: true } },
  { path: '/my-hours', name: 'my-hours', component: () => import('@/screens/my-hours/MyHoursScreen.vue'), meta: { area: 'hours' } },
  { path: `/records/${id}`, name: 'record', component: () => import('@/screens/record/RecordScreen.vue'), meta: { area: 'hours' } },
];
