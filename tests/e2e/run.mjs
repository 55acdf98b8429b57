// Runs every end-to-end test against the release build in dist/:
//   trunk build --release && cargo build --release --bin trailsight && node tests/e2e/run.mjs
// `node tests/e2e/run.mjs scale` runs the scale harness (tests/e2e/scale.mjs) alone.
// Prints "N passed, N failed" and exits non-zero on any failure.
import { serve, summary } from './lib.mjs';
import * as skeleton from './skeleton.mjs';
import * as insights from './insights.mjs';
import * as demo from './demo.mjs';
import * as subpath from './subpath.mjs';
import * as bursts from './bursts.mjs';
import * as aws_pairing from './aws_pairing.mjs';
import * as counts from './counts.mjs';
import * as overview from './overview.mjs';

const only = process.argv[2];
const suites = { skeleton, insights, demo, subpath, bursts, aws_pairing, counts, overview };
import * as scale from './scale.mjs';
// Run only when named (`node tests/e2e/run.mjs scale`): minutes on a big set.
const explicit = { scale };
if (only && explicit[only]) suites[only] = explicit[only];
const server = await serve();
let crashed = 0;
try {
  for (const [name, suite] of Object.entries(suites)) {
    if (only && only !== name) continue;
    try {
      await suite.run(server);
    } catch (e) {
      crashed++;
      console.log(`  FAIL ${name} crashed: ${e.stack ?? e}`);
    }
  }
} finally {
  server.close();
}
const { passed, failed } = summary();
console.log(`${passed} passed, ${failed + crashed} failed`);
process.exit(failed + crashed ? 1 : 0);
