// Routes of the reports dashboard, star level and certificate screens.
export const dashboardRoutes = [
  {
    path: '/reports',
    name: 'reports',
    component: () => import('./ReportsScreen.vue'),
    meta: { area: 'reports', wide: true },
  },
  {
    path: '/my-star',
    name: 'my-star',
    component: () => import('@/screens/star/StarScreen.vue'),
    meta: { area: 'star' },
  },
  {
    path: '/certificates',
    name: 'certificates',
    component: () => import('@/screens/certificates/CertificatesScreen.vue'),
    meta: { area: 'certificates' },
  },
  {
    path: '/certificates/new',
    name: 'certificate-new',
    component: () => import('@/screens/certificates/CertificateRequestScreen.vue'),
    meta: { area: 'certificates' },
  },
  {
    path: '/certificates/:id(\\d+)',
    name: 'certificate',
    component: () => import('@/screens/certificates/CertificateScreen.vue'),
    props: true,
    meta: { area: 'certificates' },
  },
];
