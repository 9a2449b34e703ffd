// Next.js configuration. better-sqlite3 is a native addon: keep it out of the server bundle.
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ['better-sqlite3'],
  poweredByHeader: false,
  typedRoutes: false,
};

module.exports = nextConfig;
