// Just enough PEP 440 to ask whether a specifier set admits a release version: the generator
// checks --python and --otai-version against what the runtime needs before writing them.
type Version = number[];

const parseVersion = (v: string): Version => v.split('.').map((p) => Number.parseInt(p, 10));
function compare(a: Version, b: Version): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

// One clause, e.g. `>=3.14`, `==3.14.*`, `~=1.4`. Spaces only (not \s): a tab or line break would
// end up inside pyproject.toml's strings.
const CLAUSE = /^ *(~=|===|==|!=|<=|>=|<|>) *([0-9][0-9A-Za-z.*+!-]*) *$/;

/** Is `specifier` a PEP 440 specifier set: clauses joined by commas? */
export const isSpecifier = (specifier: string): boolean => specifier.split(',').every((clause) => CLAUSE.test(clause));

/** Does one clause admit `version`? Pre-releases are out of scope. */
function admitsClause(clause: string, version: Version): boolean {
  const m = CLAUSE.exec(clause);
  if (!m) return false;
  const [, op, raw] = m as unknown as [string, string, string];
  if (raw.endsWith('.*')) {
    const prefix = parseVersion(raw.slice(0, -2));
    const same = prefix.every((p, i) => (version[i] ?? 0) === p);
    return op === '==' ? same : op === '!=' ? !same : false;
  }
  const v = parseVersion(raw.replace(/[^0-9.].*$/, ''));
  const c = compare(version, v);
  switch (op) {
    case '==': case '===': return c === 0;
    case '!=': return c !== 0;
    case '>=': return c >= 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '<': return c < 0;
    case '~=': return c >= 0 && v.slice(0, -1).every((p, i) => (version[i] ?? 0) === p);
    default: return false;
  }
}

export const admits = (specifier: string, version: string): boolean =>
  specifier.split(',').every((clause) => admitsClause(clause, parseVersion(version)));
