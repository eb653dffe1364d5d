// Bundle src/ into dist/ (zero runtime dependencies) and check every template compiles.
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
 * dist/templates.js: src/templates.ts with BUILT_TEMPLATES filled in, a file of its own so that only
 * a run that renders reads it (--help does not parse 60 KB of templates).
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

// One CommonJS file, not ESM chunks: CommonJS loads synchronously, while each ESM module costs
// asynchronous reads on the thread pool; measured, --help went from 1.12 to 0.98 times `node -e 0`
// and a default run from 1.38 to 1.26. Commands still load lazily: esbuild turns each import() into
// a module initialised on first use. dist/package.json and bin/package.json say "commonjs".
const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', minify: true, legalComments: 'none', logLevel: 'warning' };

// Leaves (modules that share no state with the rest) go in files of their own, required on first
// use, so a run that does not need them does not parse them: the templates, the prompt library.
const asides = [
  { specifier: /^\.\/templates\.js$/, file: 'templates.js', entryPoints: [join(root, 'src/templates.ts')], plugins: [embedTemplates(compiled)] },
  { specifier: /^@clack\/prompts$/, file: 'clack.js', stdin: { contents: "export * from '@clack/prompts';", resolveDir: root } },
];
const used = new Set();
const keepAside = {
  name: 'keep-aside',
  setup(b) {
    for (const aside of asides) {
      b.onResolve({ filter: aside.specifier }, () => { used.add(aside); return { path: `./${aside.file}`, external: true }; });
    }
  },
};

rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  ...common,
  entryPoints: [join(root, 'src/cli.ts')],
  outfile: join(root, 'dist/cli.js'),
  // Only src/ (tests) compiles templates with ejs; the bundle never reaches that branch.
  external: ['ejs'],
  plugins: [keepAside],
  // import.meta does not exist in CommonJS; paths.ts and main.ts get this file's URL instead.
  define: { __VERSION__: JSON.stringify(pkg.version), 'import.meta.url': '__importMetaUrl' },
  banner: { js: "'use strict'; const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});
for (const { file, entryPoints, stdin, plugins } of used) {
  await build({ ...common, ...(entryPoints ? { entryPoints } : { stdin }), plugins, outfile: join(root, 'dist', file) });
}
writeFileSync(join(root, 'dist/package.json'), '{ "type": "commonjs" }\n');
console.log(`built dist/ (${Object.keys(compiled).length} templates compiled in)`);
