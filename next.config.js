// Next.js configuration. better-sqlite3 is a native addon: keep it out of the server bundle.
// NEXT_DIST_DIR lets the browser tests build into their own folder without touching a developer's .next.
// JOBS_WORKER_DIR: where the compiled job workers are (lib/jobs/worker-files.ts), fixed at build time from this file's
// folder, so the server finds them whatever its working directory.
const path = require('node:path');

/** @type {import('next').NextConfig} */
const nextConfig = {
  env: { JOBS_WORKER_DIR: process.env.JOBS_WORKER_DIR || path.join(__dirname, 'dist', 'workers') },
  serverExternalPackages: ['better-sqlite3'],
  poweredByHeader: false,
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Survey files reach /api/admin/import through the proxy, which would otherwise cut request bodies at 10 MB.
  experimental: { proxyClientMaxBodySize: '512mb' },
};

module.exports = nextConfig;
