// add: grow an existing plugin. Names → the plugin's record → refuse what clashes → render the
// same component templates as create → register in plugin_factory.py and the registration test →
// write everything at once (the atomic writer) → report.
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { usageError } from '../errors.js';
import type { Io } from '../io.js';
import { registryKey, splitList, type Component, type ComponentKind } from '../naming.js';
import { valid, type Environment } from '../options/resolve.js';
import type { Flags } from '../options/schema.js';
import { pyLayout } from '../pylayout.js';
import { componentContext, componentModule, componentFiles, componentsOf, templatesOf, sortByPath, type PlannedFile } from '../plan.js';
import { renderPlan, renderSizes, type RenderedFile } from '../render.js';
import { isFile, lstatOrUndefined } from '../probe.js';
import { displayPath } from '../report.js';
import { sh } from '../options/reproduce.js';
import { py } from '../text.js';
import { inspectTarget, writeFiles } from '../write.js';
import { importLine, registerInFactory, type Registration } from '../add/factory.js';
import { addExpectedKeys } from '../add/keys.js';
import { exists, existingClasses, pluginDirectory, readPluginProject, RECORD_TABLE, type PluginProject } from '../add/project.js';
import { collected, collects } from '../add/pytest.js';
import { addReport, addResult } from '../add/report.js';

const KINDS: readonly ComponentKind[] = ['pipe', 'service'];

/** `pipe RouteQueue ClassifyPriority` or `service a,b` → the kind and the names, not checked yet. */
function parseRequest(positionals: readonly string[]): { kind: ComponentKind; names: string[] } {
  const [what, ...raws] = positionals;
  if (what === undefined) {
    throw usageError('missing_kind', 'Say what to add: `create-otai-plugin add pipe <Name...>` or `create-otai-plugin add service <Name...>`.');
  }
  const kind = KINDS.find((k) => k === what);
  if (!kind) {
    throw usageError('invalid_kind', `add cannot add "${what}"; write \`create-otai-plugin add pipe <Name...>\` or \`create-otai-plugin add service <Name...>\`.`);
  }
  const names = splitList(raws);
  if (names.length === 0) {
    throw usageError('missing_component_name', `Give the name of the ${kind} to add, e.g. \`create-otai-plugin add ${kind} ClassifyPriority\`.`);
  }
  return { kind, names };
}

/** The new component files, plus the package's __init__.py when its folder does not exist yet. */
function plannedFiles(project: PluginProject, kind: ComponentKind, components: Component[]): PlannedFile[] {
  const { names } = project;
  const files = componentFiles({ module: names.module, prefixSnake: names.prefixSnake }, components)
    .map((f) => (f.path.startsWith('tests/unit/') ? { ...f, path: `${project.testsDir}/${f.path.slice('tests/unit/'.length)}` } : f));
  const init = `src/{{module}}/${kind}s/__init__.py.ejs`;
  if (!exists(project.directory, `src/${names.module}/${kind}s`) && templatesOf('project').includes(init)) {
    files.push({ template: `project/${init}`, path: `src/${names.module}/${kind}s/__init__.py` });
  }
  return files;
}

function refuseClashes(project: PluginProject, kind: ComponentKind, components: Component[], files: PlannedFile[]): void {
  const classes = existingClasses(project);
  for (const c of components) {
    const file = classes.get(c.className);
    if (file) throw usageError(`duplicate_${kind}`, `${project.shown(file)} already uses the class name ${c.className} (the runtime keys classes by name: a second one would take its registry key); choose another ${kind} name.`);
  }
  for (const f of files) {
    if (exists(project.directory, f.path)) {
      throw usageError('file_exists', `${project.shown(f.path)} already exists in the plugin; choose another ${kind} name, or move that file away and run again.`);
    }
  }
  refuseShadowing(project, kind, files);
  refuseTestClashes(project, kind, files);
}

/**
 * Python imports a package (a folder with __init__.py) before a module of the same name: a new
 * module beside such a folder would never be imported, and a new package would hide the module
 * whose name it takes, with every import from it.
 */
function refuseShadowing(project: PluginProject, kind: ComponentKind, files: readonly PlannedFile[]): void {
  const { directory, shown } = project;
  for (const { path } of files) {
    if (!path.startsWith('src/') || !path.endsWith('.py')) continue;
    const folder = path.slice(0, -'.py'.length);
    if (isFile(join(directory, folder, '__init__.py'))) {
      throw usageError('module_shadowed', `${shown(`${folder}/`)} is a package, which Python would import instead of the new ${shown(path)}; choose another ${kind} name, or move that folder away and run again.`);
    }
    for (let dir = posix.dirname(path); dir !== 'src' && dir.includes('/'); dir = posix.dirname(dir)) {
      if (!exists(directory, `${dir}.py`) || isFile(join(directory, dir, '__init__.py'))) continue;
      const fix = `Make it that package (\`${exists(directory, dir) ? '' : `mkdir ${sh(shown(dir))} && `}mv ${sh(shown(`${dir}.py`))} ${sh(shown(`${dir}/__init__.py`))}\`) and run again.`;
      throw usageError('module_shadowed', exists(directory, dir)
        ? `${shown(`${dir}.py`)} is a module, which Python imports instead of the folder ${shown(`${dir}/`)} (it has no __init__.py), so the new ${shown(path)} would never be imported. ${fix}`
        : `${shown(`${dir}.py`)} is a module, and the package ${shown(`${dir}/`)} that add would create beside it would take its place in every import (Python imports a package first). ${fix}`);
    }
  }
}

/** The module name pytest gives a test file in its default import mode: its path below the last folder without __init__.py. */
function pytestModule(directory: string, path: string): string {
  const parts = [posix.basename(path, '.py')];
  for (let dir = posix.dirname(path); dir !== '.' && isFile(join(directory, dir, '__init__.py')); dir = posix.dirname(dir)) parts.unshift(posix.basename(dir));
  return parts.join('.');
}

/**
 * Two test files of one module name stop pytest's collection ("import file mismatch") unless it
 * imports them by path (--import-mode=importlib); tests folders without __init__.py, as generated,
 * make that any two files of one name.
 */
function refuseTestClashes(project: PluginProject, kind: ComponentKind, files: readonly PlannedFile[]): void {
  if (project.pytest.importlib) return;
  const { directory, shown } = project;
  const tests = files.filter((f) => f.path.startsWith(`${project.testsDir}/`));
  if (!tests.length) return;
  // The module names of the test files pytest collects, and of the packages it imports them from.
  const existing = new Map<string, string>();
  for (const file of project.testFiles.filter((f) => collected(project.pytest, directory, f))) {
    const parts = pytestModule(directory, file).split('.');
    if (!existing.has(parts.join('.'))) existing.set(parts.join('.'), file);
    // Its packages, innermost first: each a folder up.
    let folder = posix.dirname(file);
    for (let n = parts.length - 1; n > 0; n--, folder = posix.dirname(folder)) {
      if (!existing.has(parts.slice(0, n).join('.'))) existing.set(parts.slice(0, n).join('.'), `${folder}/`);
    }
  }
  for (const { path } of tests) {
    const other = existing.get(pytestModule(directory, path));
    if (other) {
      throw usageError('test_module_clash', `${shown(other)} has the module name pytest would give the new ${shown(path)}, and pytest stops when two test files share one ("import file mismatch"); choose another ${kind} name, rename that file, or give its folder an __init__.py, and run again.`);
    }
  }
}

/** What to add by hand when a file cannot be edited safely. */
function byHand(project: PluginProject, kind: ComponentKind, registrations: Registration[], problem: string): string {
  const plural = registrations.length > 1 ? `${kind}s` : kind;
  return [
    `${problem}. Nothing was written.`,
    // Nothing was written, the new modules neither: registering alone would import what is not there.
    `Restore the shape create-otai-plugin generates and run again (add then writes the ${plural} too), or write the ${plural} and ${registrations.length > 1 ? 'their tests' : 'its test'} yourself and register ${registrations.length > 1 ? 'them' : 'it'} by hand:`,
    `  in ${project.shown(project.factory)}, with the other imports:`,
    ...registrations.map((r) => `    ${importLine(r)}`),
    '  in the list that _get_all_injectables returns:',
    ...registrations.map((r) => `    ${r.className},`),
    `  in EXPECTED_KEYS in ${project.shown(project.registrationTest)} (if it has one):`,
    ...registrations.map((r) => `    ${py(registryKey(project.names, r.className))},`),
  ].join('\n');
}

interface Registered { files: RenderedFile[]; notes: string[]; originals: Map<string, string | undefined> }

/** The edited factory and registration test, or a refusal that says what to add by hand. */
function register(project: PluginProject, kind: ComponentKind, components: Component[]): Registered {
  const { names } = project;
  const registrations = components.map((c): Registration => ({ className: c.className, from: componentModule(names.module, c) }));
  const read = (path: string) => readUtf8(project.directory, path, () => byHand(project, kind, registrations, `${project.shown(path)} is not UTF-8 (add would write it back as UTF-8 and change its other characters); save it as UTF-8, dropping any \`coding:\` line, and run again`));
  const originals = new Map([project.factory, project.registrationTest].map((p) => [p, read(p)] as const));
  const factory = registerInFactory(originals.get(project.factory) ?? '', names.module, registrations, project.ruff.lineLength);
  if (!factory.ok) {
    throw usageError('factory_not_editable', byHand(project, kind, registrations, `${project.shown(project.factory)} cannot be edited safely: ${factory.reason}`));
  }
  const files: RenderedFile[] = [{ path: project.factory, content: factory.content }];
  const notes: string[] = [];
  const test = originals.get(project.registrationTest);
  if (test === undefined) {
    notes.push(`There is no ${project.shown(project.registrationTest)}, so no registration test was updated.`);
  } else {
    const keys = addExpectedKeys(test, components.map((c) => registryKey(names, c.className)), names.registryPrefix);
    if (keys.ok === 'foreign') {
      const starts = keys.prefixes.filter((k) => k.endsWith(':'));
      const bare = starts.length < keys.prefixes.length;
      const held = [starts.length ? `keys starting ${starts.map((k) => JSON.stringify(k)).join(', ')}` : '', bare ? 'keys without a prefix' : ''].filter(Boolean).join(' and ');
      throw usageError('keys_mismatch', `EXPECTED_KEYS in ${project.shown(project.registrationTest)} holds ${held}, none "${names.registryPrefix}:", the prefix add ${project.prefixFrom}. The runtime names this plugin's keys in a way add does not read (a base class's \`_plugin_name\`, a \`get_registry_name\`), or the test is stale. Nothing was written. Make the two agree (the loaded keys are the truth), or add the ${kind} by hand.`);
    }
    if (keys.ok === 'absent') notes.push(`${project.shown(project.registrationTest)} has no EXPECTED_KEYS, so add does not change it.`);
    else if (!keys.ok) throw usageError('test_not_editable', byHand(project, kind, registrations, `${project.shown(project.registrationTest)} cannot be edited safely: ${keys.reason}`));
    else if (keys.content !== test) files.push({ path: project.registrationTest, content: keys.content });
  }
  for (const other of project.alsoSetting) notes.push(`${project.shown(other)} sets EXPECTED_KEYS too; add updates only ${project.shown(project.registrationTest)}, so add the new keys there as well (or keep one EXPECTED_KEYS).`);
  // The writer replaces a file by moving a new one into its place: a link there would become a plain
  // file, and what it points to (or the file's other hard links) would stay unedited.
  for (const { path } of files) {
    const stat = lstatOrUndefined(join(project.directory, path));
    if (stat?.isSymbolicLink()) {
      throw usageError('symlink_in_plugin', byHand(project, kind, registrations, `${project.shown(path)} is a symbolic link, which add would replace with an edited copy, leaving the file it points to as it was; put the file itself in its place and run again`));
    }
    if (stat && stat.nlink > 1) {
      throw usageError('hardlink_in_plugin', byHand(project, kind, registrations, `${project.shown(path)} has ${stat.nlink - 1} other hard link(s), which add would leave unedited, since it replaces the file with an edited copy; make it a file of its own (\`${copyApart(project.shown(path))}\`) and run again`));
    }
  }
  return { files, notes, originals };
}

/** The command that gives a hard-linked file a copy of its own, for a POSIX shell. */
const copyApart = (path: string) => `cp ${sh(path)} ${sh(`${path}.new`)} && mv ${sh(`${path}.new`)} ${sh(path)}`;

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A file add edits, as text: undefined when it is missing; `refuse`'s message when it is not UTF-8.
 * Decoding with replacement and writing back would turn every other byte into U+FFFD; valid UTF-8
 * decodes and encodes to the same bytes (a byte-order mark kept), so an edit changes only what it adds.
 */
function readUtf8(directory: string, path: string, refuse: () => string): string | undefined {
  let bytes: Buffer;
  try { bytes = readFileSync(join(directory, path)); } catch { return undefined; }
  try { return STRICT_UTF8.decode(bytes); } catch { throw usageError('not_utf8', refuse()); }
}

/** Refuse to write if the factory or the test changed since they were read (an editor saved them). */
function unchangedSince(project: PluginProject, originals: Map<string, string | undefined>): () => void {
  return () => {
    for (const [path, before] of originals) {
      let now: string | undefined | null;
      try { now = readUtf8(project.directory, path, () => ''); } catch { now = null; }
      if (now !== before) throw usageError('changed_while_adding', `${project.shown(path)} changed while add was running; nothing was written. Run again.`);
    }
  };
}

/** The plugin's ruff settings add writes against (quotes, trailing commas, import order), and what to run after. */
function unfollowedNotes({ ruff, directory, shown }: PluginProject, dryRun: boolean): string[] {
  // A file in the plugin as the other paths are shown; one above it (a monorepo's) by its own path.
  const shownConfig = (path: string) => (path.startsWith(`${directory}/`) ? shown(path.slice(directory.length + 1)) : displayPath(path, directory));
  if (ruff.unreadable) return [`${shownConfig(ruff.unreadable)} is not valid TOML, and ruff stops on it; add ${dryRun ? 'would write' : 'wrote'} for ruff's default settings. Fix it, then run \`uv run ruff check\` in the plugin.`];
  // A monorepo's configuration: ruff tells first-party imports by `src` relative to its folder, so
  // the plugin's own module may sort as third-party there, unlike in the plugin add writes for.
  const above = ruff.source && !ruff.source.startsWith(`${directory}/`) && directory.startsWith(`${dirname(ruff.source)}/`);
  const fromAbove = above ? [`ruff's settings come from ${displayPath(ruff.source!, directory)}, above the plugin, where ruff may sort the plugin's imports otherwise: run \`uv run ruff check --fix\` in the plugin ${dryRun ? 'after adding' : 'now'}.`] : [];
  if (!ruff.unfollowed.length) return fromAbove;
  const where = ruff.source ? shownConfig(ruff.source) : 'ruff';
  const run = [...new Set(ruff.unfollowed.map((u) => (u.fix === 'format' ? '`uv run ruff format`' : '`uv run ruff check --fix`')))].join(' and ');
  return [`${where} sets ${ruff.unfollowed.map((u) => u.setting).join('; ')}, which add does not follow: run ${run} in the plugin ${dryRun ? 'after adding' : 'now'}.`, ...fromAbove];
}

/**
 * New tests the plugin's pytest would not collect, run in the plugin: named otherwise than
 * python_files says, or outside the folders testpaths names (or in one norecursedirs skips).
 */
function uncollected(project: PluginProject, created: readonly RenderedFile[]): string[] {
  const { pytest, directory } = project;
  const misnamed: string[] = [];
  const elsewhere: string[] = [];
  for (const { path } of created) {
    if (!path.startsWith(`${project.testsDir}/`) || collected(pytest, directory, path)) continue;
    (collects(pytest.pythonFiles, `${directory}/${path}`) ? elsewhere : misnamed).push(project.shown(path));
  }
  const them = (list: readonly string[]) => (list.length > 1 ? 'them' : 'it');
  return [
    ...(misnamed.length ? [`pytest collects only ${pytest.pythonFiles.join(' ')} (python_files) here, so it will not run ${misnamed.join(', ')}; rename ${them(misnamed)} to match.`] : []),
    ...(elsewhere.length ? [`pytest, run in the plugin, collects from ${pytest.testpaths.length ? `${pytest.testpaths.join(' ')} (testpaths)` : 'its folder'} and not from folders named ${pytest.norecursedirs.join(' ')} (norecursedirs), so it will not run ${elsewhere.join(', ')}; move ${them(elsewhere)} into a folder it collects.`] : []),
  ];
}

export async function add(flags: Flags, positionals: readonly string[], env: Environment, io: Io): Promise<number> {
  const request = parseRequest(positionals);
  const directory = pluginDirectory(flags.cwd === undefined ? undefined : valid('cwd', flags.cwd), env.cwd);
  const project = readPluginProject(directory, env.cwd);
  // Laid out for the line length the plugin's ruff uses, and checked against it.
  const layout = pyLayout(project.ruff.lineLength);
  const { kind } = request;
  const components = componentsOf(kind, request.names, project.names, layout);
  const planned = plannedFiles(project, kind, components);
  refuseClashes(project, kind, components, planned);
  const pipes = kind === 'pipe' ? components : [];
  const services = kind === 'service' ? components : [];
  const registered = register(project, kind, components);
  const rendered = await renderPlan({ files: planned, context: componentContext(project.names, pipes, services, layout, !project.asyncioAuto) });
  // New files end their lines as the factory does where it uses CRLF throughout (a Windows checkout).
  const factoryText = registered.originals.get(project.factory) ?? '';
  const crlf = factoryText.includes('\r\n') && !/(^|[^\r])\n/.test(factoryText);
  const created = crlf ? rendered.map((f) => ({ ...f, content: f.content.replaceAll('\n', '\r\n') })) : rendered;
  const files = sortByPath([...created, ...registered.files]);
  const dryRun = flags.dryRun ?? false;
  // Made before writing: nothing after the write may fail a run that changed the plugin.
  const notes = [
    ...(project.recorded ? [] : [`No [tool.${RECORD_TABLE}] in pyproject.toml: the names were read from [project] and its entry point.`]),
    ...registered.notes,
    ...unfollowedNotes(project, dryRun),
    ...uncollected(project, created),
    ...(kind === 'pipe' && !project.asyncioAuto ? ['pytest-asyncio is not in its auto mode here (no asyncio_mode = "auto" in the pytest settings), so the new async tests are marked @pytest.mark.asyncio.'] : []),
  ];
  // A dry run renders every file too, so it fails where a real run would.
  if (dryRun) renderSizes(created);
  else await writeFiles(directory, files, inspectTarget(directory, files, 'add'), { beforeMove: unchangedSince(project, registered.originals) });
  for (const note of notes) io.err(`Note: ${note}\n`);
  const result = addResult(project, components, files, dryRun);
  io.out(flags.json ? `${JSON.stringify(result)}\n` : addReport(result, kind, created.map((f) => f.path), env.cwd));
  return 0;
}
