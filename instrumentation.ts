// Runs once when the Next.js server starts. Starts the briefing render worker in the background so that the first PDF
// download does not wait for the worker to load its code and fonts.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs' && process.env.BRIEFING_WORKER_WARM !== '0') {
    const { briefingJobs } = await import('./lib/jobs/briefings');
    briefingJobs().warm();
  }
}
