// Templates as the bundle carries them: path under templates/ → the function EJS compiles it to,
// so a run neither loads EJS nor reads or parses a template. scripts/build.mjs writes dist/templates.js
// in this shape (a license text in a file of its own, required on first use); running from src/
// (tests) it stays undefined and templates/ (the source of truth) is read and compiled instead.

/** A template compiled by EJS in client mode. */
export type Compiled = (locals: object) => string;

export const BUILT_TEMPLATES: Readonly<Record<string, () => Compiled>> | undefined = undefined;
