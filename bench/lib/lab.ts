// The lab (test/lab/lab.sh) as the root-only benchmarks use it: one work directory, torn down once — at the
// end, or when the run is interrupted.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

/** Returns the teardown of the lab in `w` (idempotent), also run on SIGINT / SIGTERM before exiting 130. */
export function labTeardown(lab: string, w: string): () => void {
  let down = false;
  const teardown = (): void => {
    if (down) return;
    down = true;
    spawnSync(lab, ['down', w], { stdio: 'inherit' });
    rmSync(w, { recursive: true, force: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      teardown();
      process.exit(130);
    });
  }
  return teardown;
}
