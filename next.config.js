// Next.js configuration. better-sqlite3 is a native addon: keep it out of the server bundle.
// NEXT_DIST_DIR lets the browser tests build into their own folder without touching a developer's .next.
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ['better-sqlite3'],
  poweredByHeader: false,
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Survey files reach /api/admin/import through the proxy, which would otherwise cut request bodies at 10 MB.
  experimental: { proxyClientMaxBodySize: '512mb' },
};

module.exports = nextConfig;
