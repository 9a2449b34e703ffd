// Which address a request came from, decided once per request at the HTTP server (instrumentation.ts) from the socket
// and only as many X-Forwarded-* hops as TRUST_PROXY names, so a client cannot choose its own rate-limit key or host.
import type { IncomingMessage } from 'node:http';

/** Header the server sets on every request after discarding any value the client sent under that name. */
export const CLIENT_ADDRESS_HEADER = 'x-dashboard-client-address';
const INSTALLED = Symbol.for('dashboard.client-address-installed');

const FORWARDED_HEADERS = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'x-real-ip', 'forwarded'];

/**
 * The client address given the socket's peer and the X-Forwarded-For chain: with `trustedHops` proxies in front, the
 * address that the outermost trusted proxy saw. Values further left were written by the client and are ignored.
 */
export function clientAddressFrom(socketAddress: string | undefined, forwardedFor: string | undefined, trustedHops: number): string {
  const chain = [...(forwardedFor ?? '').split(',').map((part) => part.trim()).filter(Boolean), socketAddress ?? 'unknown'];
  const index = Math.max(0, chain.length - 1 - trustedHops);
  return chain[index] ?? 'unknown';
}

/** Rewrites the headers of one incoming request: our client-address header, and forwarded headers only when trusted. */
export function stampClientAddress(request: IncomingMessage, trustedHops: number): void {
  const forwardedFor = request.headers['x-forwarded-for'];
  const address = clientAddressFrom(request.socket?.remoteAddress, Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor, trustedHops);
  if (trustedHops === 0) {
    // Nothing in front of us: Next.js fills these from the socket and the Host header once they are gone.
    for (const name of FORWARDED_HEADERS) delete request.headers[name];
  }
  request.headers[CLIENT_ADDRESS_HEADER] = address;
}

/** Installs the stamping on every HTTP server of this process (the Next.js server included). Idempotent. */
export async function installClientAddressStamp(trustedHops: number): Promise<void> {
  const registry = globalThis as unknown as Record<symbol, boolean>;
  if (registry[INSTALLED]) return;
  registry[INSTALLED] = true;
  const http = await import('node:http');
  // Called below with `emit.apply(this, …)`, so `this` is the server as before.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function patchedEmit(this: unknown, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') stampClientAddress(args[0] as IncomingMessage, trustedHops);
    return emit.apply(this as InstanceType<typeof http.Server>, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
}

/** The stamped client address of a request, or 'unstamped' when the server was started without instrumentation. */
export function clientAddressOf(headers: Headers): string {
  const registry = globalThis as unknown as Record<symbol, boolean>;
  if (!registry[INSTALLED]) return 'unstamped';
  return headers.get(CLIENT_ADDRESS_HEADER) ?? 'unknown';
}
