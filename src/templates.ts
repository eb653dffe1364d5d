// Templates as the bundle carries them: path under templates/ → the function EJS compiles it to,
// so a run neither loads EJS nor reads or parses a template. scripts/build.mjs fills BUILT_TEMPLATES
// in; running from src/ (tests) it stays undefined and templates/ (the source of truth) is read and
// compiled instead, with the same options.

/**
 * The names a template sees as variables: the keys of the context src/plan.ts builds, and
 * `component`. EJS declares them up front (destructuredLocals) instead of using `with`, so templates
 * compile in strict mode and the bundle holds them as real functions. A test keeps this list and the
 * context in step; a template using any other name fails to render.
 */
export const TEMPLATE_LOCALS = [
  'names', 'pipes', 'services', 'components', 'key', 'generatorVersion',
  'checkOneLine', 'checkAuthor', 'checkEmail', 'toml', 'py', 'pyDoc', 'md', 'yaml',
  'imports', 'opts', 'license', 'backend', 'year', 'devDependencies', 'component',
] as const;

/** EJS's options for every template, at build time and in tests alike. */
export const EJS_OPTIONS = { client: true, strict: true, destructuredLocals: [...TEMPLATE_LOCALS] };

/** A template compiled by EJS in client mode. */
export type Compiled = (locals: object) => string;

export const BUILT_TEMPLATES: Readonly<Record<string, Compiled>> | undefined = undefined;
