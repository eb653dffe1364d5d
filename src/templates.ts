// Templates as the bundle carries them: path under templates/ → the function EJS compiles it to,
// so a run neither loads EJS nor reads or parses a template. scripts/build.mjs fills BUILT_TEMPLATES
// in; running from src/ (tests) it stays undefined and templates/ (the source of truth) is read and
// compiled instead, with the same options.

/**
 * The names a template sees as variables: the keys of the context src/plan.ts builds, and
 * `component`. EJS declares them up front (destructuredLocals) instead of using `with`, so templates
 * compile in strict mode and the bundle holds them as real functions. A test keeps these lists and
 * the contexts in step; a template using any other name fails to render.
 */
/** templates/pipe and templates/service: componentContext, all that `add` knows of a plugin. */
export const COMPONENT_LOCALS = [
  'names', 'pipes', 'services', 'components', 'key', 'generatorVersion',
  'checkOneLine', 'checkAuthor', 'checkEmail', 'toml', 'py', 'pyDoc', 'md', 'yaml',
  'fromImport', 'classLine', 'call', 'docstring', 'assign', 'defLine', 'asyncioMarks', 'component',
] as const;
/** Every other template: the whole context of a creation. */
export const TEMPLATE_LOCALS = [...COMPONENT_LOCALS, 'imports', 'opts', 'license', 'backend', 'year', 'dependencies', 'devDependencies'] as const;

/**
 * What `<%=` does: text as it is. EJS would escape it for HTML, which is wrong in every file a plugin
 * has; templates write text through the encoders of src/text.ts (py, toml, md, yaml). This keeps EJS's
 * HTML escaper (a rules object and a regex made on every call) out of each template. EJS's own error
 * report uses it too, for the file name, so it must not throw.
 */
function asIs(markup: unknown): string {
  return markup == null ? '' : String(markup);
}

/** EJS's options for a template (its path under templates/), at build time and in tests alike. */
export function ejsOptions(template: string) {
  const component = /^(pipe|service)\//.test(template);
  return { client: true, strict: true, escape: asIs, destructuredLocals: [...(component ? COMPONENT_LOCALS : TEMPLATE_LOCALS)] };
}

/** A template compiled by EJS in client mode. */
export type Compiled = (locals: object) => string;

export const BUILT_TEMPLATES: Readonly<Record<string, Compiled>> | undefined = undefined;

/**
 * A template's output path (relative to its group, `project/`, `pipe/`...) cut into text and
 * placeholder names, at odd indexes: `src/{{module}}/dot-x.py.ejs` → ['src/', 'module', '/.x.py'].
 */
export function pathPiecesOf(template: string): string[] {
  const path = template.replace(/\.ejs$/, '').split('/').map((part) => (part.startsWith('dot-') ? `.${part.slice(4)}` : part)).join('/');
  return path.split(/\{\{(\w+)\}\}/);
}

/** The build fills this in with pathPiecesOf of every template (by its path within its group). */
export const BUILT_PATH_PIECES: Readonly<Record<string, readonly string[]>> | undefined = undefined;
