// Runs once when the Next.js server starts. Stamps every request with its client address from the socket (forwarded
// headers only through TRUST_PROXY hops; lib/auth/client-address.ts), and starts the briefing render worker in the
// background so that the first PDF download does not wait for the worker to load its code and fonts, and the fit workers.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installClientAddressStamp } = await import('./lib/auth/client-address');
  const hops = Number.parseInt(process.env.TRUST_PROXY ?? '0', 10);
  await installClientAddressStamp(Number.isFinite(hops) && hops > 0 ? hops : 0);
  // On the cluster back end (DATABASE_URL) briefings are laid out by the worker processes, not here.
  if (process.env.BRIEFING_WORKER_WARM !== '0' && !process.env.DATABASE_URL) {
    const { briefingJobs } = await import('./lib/jobs/briefings');
    briefingJobs().warm();
  }
  // The fit workers too (MODEL_MAX_CONCURRENT of them, at low priority), so that a fit never waits for a worker to
  // load the engine, and a worker replaced after a crash, a time-out or a cancel is ready before the next fit.
  if (process.env.MODEL_WORKERS_WARM !== '0') {
    try {
      const { warmModelWorkers } = await import('./lib/models/service');
      warmModelWorkers();
    } catch (error) {
      // A database without its tables yet (setup not run): fits start their workers when they come.
      console.error('[jobs] fit workers not started ahead:', error instanceof Error ? error.message : error);
    }
  }
}
