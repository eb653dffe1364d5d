// Bundle src/ into dist/ (zero runtime dependencies) and check every template compiles.
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { build } from 'esbuild';
import ejs from 'ejs';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// Templates are compiled at build time, like sv checks them: a syntax error fails the build, not a
// user's run, and the bundle carries each one as the body of its compiled function (src/templates.ts),
// so a run neither loads ejs nor reads and parses templates. templates/ stays the source of truth.
const templates = join(root, 'templates');
const compiled = {};
for (const entry of readdirSync(templates, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.ejs')) continue;
  const filename = join(entry.parentPath ?? entry.path, entry.name);
  const name = relative(templates, filename).split(sep).join('/');
  try {
    // Client mode: a self-contained function (locals, escapeFn, include, rethrow). Without compileDebug
    // the template text is not carried twice (half the size, measurably faster to load); a render
    // error still names its template (src/render.ts) and the tests render with line numbers.
    const source = ejs.compile(readFileSync(filename, 'utf8'), { filename: `templates/${name}`, client: true, compileDebug: false }).toString();
    compiled[name] = source.slice(source.indexOf('\n) {\n') + 5, source.lastIndexOf('\n}'));
  } catch (error) {
    console.error(`Template ${filename} does not compile:\n${error.message}`);
    process.exit(1);
  }
}

/**
 * Fill src/templates.ts's BUILT_TEMPLATES with the compiled templates. A plugin rather than `define`:
 * esbuild hoists an object define into the chunk every command loads, and --help must not parse it.
 */
function embedTemplates(map) {
  return {
    name: 'embed-templates',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]templates\.ts$/ }, async (args) => {
        const source = readFileSync(args.path, 'utf8');
        const marker = /^export const BUILT_TEMPLATES\b.*$/m;
        if (!marker.test(source)) throw new Error('src/templates.ts no longer declares BUILT_TEMPLATES');
        const contents = source.replace(marker, `export const BUILT_TEMPLATES: Readonly<Record<string, string>> | undefined = ${JSON.stringify(map)};`);
        return { contents, loader: 'ts' };
      });
    },
  };
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
  plugins: [embedTemplates(compiled)],
  // ejs and fs-extra reach for require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
console.log(`built dist/ (${Object.keys(compiled).length} templates compiled in)`);
