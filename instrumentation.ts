// Runs once when the Next.js server starts. Stamps every request with its client address from the socket (forwarded
// headers only through TRUST_PROXY hops; lib/auth/client-address.ts), and starts the briefing render worker in the
// background so that the first PDF download does not wait for the worker to load its code and fonts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installClientAddressStamp } = await import('./lib/auth/client-address');
  const hops = Number.parseInt(process.env.TRUST_PROXY ?? '0', 10);
  await installClientAddressStamp(Number.isFinite(hops) && hops > 0 ? hops : 0);
  if (process.env.BRIEFING_WORKER_WARM !== '0') {
    const { briefingJobs } = await import('./lib/jobs/briefings');
    briefingJobs().warm();
  }
}
