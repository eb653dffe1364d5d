// Bundle src/ into dist/ (zero runtime dependencies) and check every template compiles.
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join, relative, sep } from 'node:path';
import { build } from 'esbuild';
import ejs from 'ejs';
import { asExpression } from './template-expression.mjs';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// The EJS options and the names templates see come from src/templates.ts, so tests (which compile
// from templates/) and the bundle compile alike.
const importTs = async (file) => import(`data:text/javascript,${encodeURIComponent((await build({
  entryPoints: [join(root, file)], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'warning',
})).outputFiles[0].text)}`);
const { ejsOptions, pathPiecesOf } = await importTs('src/templates.ts');
const { selfWrap } = await importTs('src/self-wrap.ts');

// Templates are compiled at build time, like sv checks them: a syntax error fails the build, not a
// user's run. The bundle carries each one as a real function (strict, no `with`: ejsOptions in
// src/templates.ts), so a run neither loads ejs nor reads, parses or evals a template; V8 compiles
// one when it is first called, and the compile cache keeps it. templates/ stays the source of truth.
const templates = join(root, 'templates');
const compiled = {};
// Templates longer than this (the long license texts, of which a run renders one at most) live in
// dist/long-templates.js, required when one is rendered: the bundle every run reads and compiles is
// then about 40% smaller (measured: about 0.5 ms a run). The short ones, the default MIT license
// among them, stay in the bundle.
const LONG_TEMPLATE = 4096;
const long = new Set();
const expressions = new Set();
for (const entry of readdirSync(templates, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.ejs')) continue;
  const filename = join(entry.parentPath ?? entry.path, entry.name);
  const name = relative(templates, filename).split(sep).join('/');
  try {
    // Without compileDebug the template text is not carried twice (half the size); a render error
    // still names its template (src/render.ts) and the tests render with line numbers.
    const text = readFileSync(filename, 'utf8');
    const options = ejsOptions(name);
    const source = ejs.compile(text, { ...options, filename: `templates/${name}`, compileDebug: false }).toString();
    const expression = asExpression(source, options.destructuredLocals);
    if (expression) expressions.add(name);
    compiled[name] = expression ?? source.replace(/^function anonymous\(/, 'function (');
    if (text.length > LONG_TEMPLATE) long.add(name);
  } catch (error) {
    console.error(`Template ${filename} does not compile:\n${error.message}`);
    process.exit(1);
  }
}

/**
 * src/templates.ts with BUILT_TEMPLATES filled in: path → function, or for a long template a getter
 * that requires it from dist/long-templates.js.
 */
const embedTemplates = {
  name: 'embed-templates',
  setup(b) {
    b.onResolve({ filter: /^\.\/long-templates\.js$/ }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /[\\/]src[\\/]templates\.ts$/ }, (args) => {
      // The line `export const <name>…` replaced; the build fails if src/templates.ts lost it.
      const fillIn = (source, name, declaration) => {
        const line = new RegExp(`^export const ${name}\\b.*$`, 'm');
        if (!line.test(source)) throw new Error(`src/templates.ts no longer declares ${name}`);
        return source.replace(line, () => declaration);
      };
      const entries = Object.entries(compiled).map(([name, fn]) => (long.has(name)
        ? `get ${JSON.stringify(name)}() { return require('./long-templates.js')[${JSON.stringify(name)}]; }`
        : `${JSON.stringify(name)}: ${fn}`));
      // Each template's path within its group (`pipe/x.ejs` → `x.ejs`), as plan.ts asks for it.
      const pieces = Object.fromEntries(Object.keys(compiled).map((name) => name.slice(name.indexOf('/') + 1)).map((path) => [path, pathPiecesOf(path)]));
      let contents = readFileSync(args.path, 'utf8');
      contents = fillIn(contents, 'BUILT_TEMPLATES', `export const BUILT_TEMPLATES: Readonly<Record<string, Compiled>> | undefined = {\n${entries.join(',\n')}\n};`);
      contents = fillIn(contents, 'BUILT_PATH_PIECES', `export const BUILT_PATH_PIECES: Readonly<Record<string, readonly string[]>> | undefined = ${JSON.stringify(pieces)};`);
      return { contents, loader: 'ts' };
    });
  },
};

// One CommonJS file, not ESM chunks: CommonJS loads synchronously, while each ESM module costs
// asynchronous reads on the thread pool (measured slower for every command). Commands still load
// lazily: esbuild turns each import() into a module initialised on first use. dist/package.json says
// "commonjs"; the bin is a .cjs file.
const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', minify: true, legalComments: 'none', logLevel: 'warning' };

// Leaves (modules that share no state with the rest) go in files of their own, required on first
// use, so a run that does not need them does not read them: the prompt library.
const asides = [
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

// node:module is the Module class that every CommonJS module's `module.constructor` already is,
// but requiring it runs lib/module.js, which loads Node's ESM loader and source-map support
// (measured about 1 ms a run). The bundles take the class from their own module object instead,
// for everything they use of it (createRequire, builtinModules, wrap, _cache, _compile).
// An `import` of it gets an ES module of the names our sources use: esbuild's interop for a
// CommonJS module (__toESM) would copy each of the class's forty-odd properties on every run (about
// 0.2 ms, measured), and a named import of a name not listed here fails the build (a namespace
// import would not, and gets only these; the sources use none). A `require` (a dependency's
// CommonJS) gets the class itself, as Node would give it.
const MODULE_BANNER = 'const __nodeModule = module.constructor;';
const nodeModuleShim = {
  name: 'node-module-shim',
  setup(b) {
    b.onResolve({ filter: /^(node:)?module$/ }, (args) => ({ path: 'node:module', namespace: args.kind === 'import-statement' ? 'node-module-esm' : 'node-module-cjs' }));
    b.onLoad({ filter: /.*/, namespace: 'node-module-esm' }, () => ({
      contents: 'export const Module = __nodeModule;\nexport const createRequire = (path) => __nodeModule.createRequire(path);',
      loader: 'js',
    }));
    b.onLoad({ filter: /.*/, namespace: 'node-module-cjs' }, () => ({ contents: 'module.exports = __nodeModule;', loader: 'js' }));
  },
};

// change-case makes its Unicode patterns (\p{Lu}, \p{L}, ...) when it is loaded, and V8 builds
// their character sets from ICU then: about 0.5 ms a run, measured, for patterns a run with ASCII
// names never uses (src/naming.ts splits ASCII itself). Each is made on first use instead, the
// same object every use after that, as before.
const lazyUnicodePatterns = {
  name: 'lazy-unicode-patterns',
  setup(b) {
    b.onLoad({ filter: /[\\/]change-case[\\/]dist[\\/]index\.js$/ }, (args) => {
      let source = readFileSync(args.path, 'utf8');
      const names = [];
      source = source.replace(/^const (\w+) = (\/.*\\p\{.*\/[a-z]*);$/gm, (_, name, pattern) => {
        names.push(name);
        return `let ${name}$made;\nconst ${name}$get = () => (${name}$made ??= ${pattern});`;
      });
      if (names.length === 0) throw new Error('change-case no longer declares its Unicode patterns as top-level constants: revisit lazyUnicodePatterns in scripts/build.mjs');
      const uses = new RegExp(`\\b(${names.join('|')})\\b(?!\\$)`, 'g');
      return { contents: source.replace(uses, (_, name) => `${name}$get()`), loader: 'js' };
    });
  },
};

rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  ...common,
  entryPoints: [join(root, 'src/cli.ts')],
  outfile: join(root, 'dist/cli.js'),
  // Only src/ (tests) compiles templates with ejs; the bundle never reaches that branch.
  external: ['ejs'],
  plugins: [keepAside, embedTemplates, nodeModuleShim, lazyUnicodePatterns],
  // import.meta does not exist in CommonJS; paths.ts and steps/run.ts get this file's URL instead.
  define: { __VERSION__: JSON.stringify(pkg.version), 'import.meta.url': '__importMeta.url' },
  // Computed on use: only the src/-style paths (templates from disk) need it, never a normal run.
  banner: { js: `'use strict'; ${MODULE_BANNER} const __importMeta = { get url() { return require('node:url').pathToFileURL(__filename).href; } };` },
});
// The prompt library's util.styleText is src/style-text.ts: the same colours on every Node the CLI
// runs on (Node's own changed between 20.13 and 22.13). Its other node:util names are Node's; a
// name not listed here fails the build.
const clackUtil = {
  name: 'clack-util',
  setup(b) {
    b.onResolve({ filter: /^node:util$/ }, (args) => (/[\\/]@clack[\\/]/.test(args.importer) ? { path: 'node:util', namespace: 'clack-util' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'clack-util' }, () => ({
      contents: `export { stripVTControlCharacters } from 'node:util';\nexport { styleText } from ${JSON.stringify(join(root, 'src/style-text.ts'))};`,
      resolveDir: root,
      loader: 'js',
    }));
  },
};
for (const { file, stdin } of used) {
  await build({ ...common, stdin, outfile: join(root, 'dist', file), plugins: [clackUtil] });
}
writeFileSync(join(root, 'dist/long-templates.js'), `'use strict';\nmodule.exports = {\n${[...long].map((name) => `${JSON.stringify(name)}: ${compiled[name]}`).join(',\n')}\n};\n`);
writeFileSync(join(root, 'dist/package.json'), '{ "type": "commonjs" }\n');
// The files the launcher compiles carry Node's module wrapper themselves (src/self-wrap.ts).
for (const file of ['cli.js', 'long-templates.js', ...[...used].map(({ file }) => file)]) {
  writeFileSync(join(root, 'dist', file), selfWrap(readFileSync(join(root, 'dist', file), 'utf8')));
}

// dist/launcher.js, the bin's first step (src/launcher.ts). It answers --help and --version alone
// from a table of what the built CLI prints for them, and gives the compile cache each dist file's
// digest, so a cache entry never outlives the code it was compiled from.
const ANSWER_ARGV = [['--help'], ['-h'], ['--version'], ['-v'], ['add', '--help'], ['add', '-h'], ['add', '--version'], ['add', '-v']];
const answers = {};
for (const argv of ANSWER_ARGV) {
  const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), ...argv], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  if (r.status !== 0 || r.stderr) throw new Error(`dist/cli.js ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  answers[argv.join('\0')] = r.stdout;
}
// Each distinct text once (--help and -h print the same); argv → its index.
const texts = [...new Set(Object.values(answers))];
for (const argv of Object.keys(answers)) answers[argv] = texts.indexOf(answers[argv]);
const digests = {};
for (const entry of readdirSync(join(root, 'dist'), { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
  const file = join(entry.parentPath ?? entry.path, entry.name);
  digests[relative(join(root, 'dist'), file).split(sep).join('/')] = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
}
await build({
  ...common,
  // Syntax an old Node parses (`??=` is Node 15+): there the launcher still says which Node it needs.
  target: 'node12',
  entryPoints: [join(root, 'src/launcher.ts')],
  outfile: join(root, 'dist/launcher.js'),
  define: { __TEXTS__: JSON.stringify(texts), __ANSWERS__: JSON.stringify(answers), __DIGESTS__: JSON.stringify(digests) },
  plugins: [nodeModuleShim],
  banner: { js: `'use strict'; ${MODULE_BANNER}` },
});
// The bin names the entries it keeps beside the dist files after this line (bin/create-otai-plugin.cjs):
// the launcher's digest, which holds the other files' digests.
const launcherCode = readFileSync(join(root, 'dist/launcher.js'), 'utf8');
writeFileSync(join(root, 'dist/launcher.js'), `${launcherCode}// build ${createHash('sha256').update(launcherCode).digest('hex').slice(0, 16)}\n`);
console.log(`built dist/ (${Object.keys(compiled).length} templates compiled in, ${expressions.size} of them as one expression)`);
