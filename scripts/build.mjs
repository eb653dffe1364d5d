// Bundle src/ into dist/ (zero runtime dependencies) and check every template compiles.
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import ejs from 'ejs';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// Templates are checked at build time, like sv does: a syntax error fails the build, not a user's run.
const templates = join(root, 'templates');
let count = 0;
for (const entry of readdirSync(templates, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.ejs')) continue;
  const filename = join(entry.parentPath ?? entry.path, entry.name);
  try {
    ejs.compile(readFileSync(filename, 'utf8'), { filename });
    count++;
  } catch (error) {
    console.error(`Template ${filename} does not compile:\n${error.message}`);
    process.exit(1);
  }
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'src/cli.ts')],
  outdir: join(root, 'dist'),
  bundle: true,
  // Splitting keeps prompts, ejs and the add command in chunks loaded only when needed.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  // Chunks stay beside cli.js: paths.ts resolves templates/ one level up from its own file.
  chunkNames: '[name]-[hash]',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  // ejs and fs-extra reach for require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
console.log(`built dist/ (${count} templates checked)`);
