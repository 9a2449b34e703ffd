// Next.js configuration. better-sqlite3 is a native addon: keep it out of the server bundle.
// NEXT_DIST_DIR lets the browser tests build into their own folder without touching a developer's .next.
// JOBS_WORKER_DIR: where the compiled job workers are (lib/jobs/worker-files.ts), fixed at build time from this file's
// folder, so the server finds them whatever its working directory.
const path = require('node:path');
const httpsOrigin = (process.env.AUTH_URL ?? '').startsWith('https:');

// For responses the proxy does not see (static files, Auth.js endpoints, the import upload); proxy.ts sets the same
// headers, and the CSP with its nonce, on everything else (lib/http/security-headers.ts).
const securityHeaders = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()' },
  { key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'" },
  ...(httpsOrigin ? [{ key: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' }] : []),
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  env: { JOBS_WORKER_DIR: process.env.JOBS_WORKER_DIR || path.join(__dirname, 'dist', 'workers') },
  serverExternalPackages: ['better-sqlite3', 'pg', 'pg-boss'],
  poweredByHeader: false,
  // The proxy sees requests as they came: Next.js would otherwise hide the RSC headers (and the _rsc parameter) from it,
  // and the page cache (lib/http/page-cache.ts) must not answer a client navigation with a document or the reverse.
  skipProxyUrlNormalize: true,
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // The proxy copies at most this much of a request body; survey uploads bypass the proxy (see proxy.ts's matcher)
  // and stream to their route, which reads them only after checking the admin's session.
  experimental: { proxyClientMaxBodySize: '1mb', serverActions: { bodySizeLimit: '1mb' } },
  async headers() {
    return [
      { source: '/api/auth/:path*', headers: securityHeaders },
      { source: '/api/admin/import', headers: securityHeaders },
      { source: '/_next/static/:path*', headers: securityHeaders.filter((h) => h.key !== 'Content-Security-Policy') },
    ];
  },
};

module.exports = nextConfig;
