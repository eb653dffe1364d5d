// Templates as the bundle carries them: path under templates/ → the body of the function EJS
// compiles it to, so a run neither loads EJS nor reads or parses a template. scripts/build.mjs fills
// this in; running from src/ (tests) it stays undefined and templates/ (the source of truth) is
// read and compiled instead.
export const BUILT_TEMPLATES: Readonly<Record<string, string>> | undefined = undefined;

/** The parameters EJS gives a compiled template function (client mode). */
export const TEMPLATE_PARAMS = 'locals, escapeFn, include, rethrow';
