// Runs the real-runtime tier (test/python/) when Python >= 3.14 and uv are on PATH.
//   node scripts/python-tier.mjs               run it; fail if the tools are missing
//   node scripts/python-tier.mjs --if-available run it, or say clearly that it was skipped
// REQUIRE_PYTHON_TIER=1 (set by .ci/run) turns a skip into a failure.
import { spawnSync } from 'node:child_process';

const ifAvailable = process.argv.includes('--if-available') && process.env.REQUIRE_PYTHON_TIER !== '1';

function probe(command, args) {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}
const pythons = ['python3.14', 'python3.15', 'python3'];
const python = pythons.find((p) => probe(p, ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 14) else 1)']) !== undefined);
const uv = probe('uv', ['--version']);
const missing = [!python && 'Python >= 3.14', !uv && 'uv'].filter(Boolean);

if (missing.length) {
  const how = 'run `bin="$(bash scripts/provision-python.sh)" && PATH="$bin:$PATH" REQUIRE_PYTHON_TIER=1 npm test` to provision them (as .ci/run does)';
  if (ifAvailable) {
    console.log(`\nSKIPPED the real-runtime tier: ${missing.join(' and ')} not found on PATH; ${how}.\n`);
    process.exit(0);
  }
  console.error(`The real-runtime tier needs ${missing.join(' and ')} on PATH; ${how}.`);
  process.exit(1);
}
console.log(`Real-runtime tier with ${probe(python, ['--version'])} and ${uv}`);
const r = spawnSync('npx', ['vitest', 'run', '--config', 'vitest.python.config.ts'], {
  stdio: 'inherit',
  env: { ...process.env, UV_PYTHON_DOWNLOADS: process.env.UV_PYTHON_DOWNLOADS ?? 'never' },
});
process.exit(r.status ?? 1);
