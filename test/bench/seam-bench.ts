// Seam joiner figures (prints; not a timed test): a continuation round that restarts a ~46,000-character answer
// and goes on, fed in 6-character deltas, against a plain continuation of the same kind of text.
import { SeamJoiner } from '../../src/core/generation/seam';

export function runSeamBench(): Record<string, number> {
  const words = Array.from({ length: 4000 }, (_, i) => `word${i % 97}x${i}`).join(' ');
  const soFar = `Intro sentence here. ${words}`;
  const cases = { restart: `${soFar} and then the new part goes on.`, plain: ' and then the new part goes on.'.repeat(1500) };
  const out: Record<string, number> = {};
  for (const [name, text] of Object.entries(cases)) {
    const times: number[] = [];
    let worst = 0;
    for (let k = 0; k < 5; k++) {
      const j = new SeamJoiner(soFar);
      const t0 = performance.now();
      for (let i = 0; i < text.length; i += 6) {
        const a = performance.now();
        j.push(text.slice(i, i + 6));
        worst = Math.max(worst, performance.now() - a);
      }
      j.flush();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    out[`seam.${name}.chars`] = text.length;
    out[`seam.${name}.medianMsPerRound`] = Math.round(times[2] * 10) / 10;
    out[`seam.${name}.worstDeltaMs`] = Math.round(worst * 100) / 100;
  }
  return out;
}

if (require.main === module) for (const [k, v] of Object.entries(runSeamBench())) console.log(`${k.padEnd(40)} ${v}`);
