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

/** The release part of a version: `3.14.dev0`, `3.14rc1`, `3.14.0.post1+x` → `3.14`, `3.14`, `3.14.0`. */
const releaseOf = (raw: string) => raw.replace(/\.?[^0-9.].*$/, '');

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
  const v = parseVersion(releaseOf(raw));
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

export const admits = (specifier: string, version: string): boolean => admitsVersion(specifier, parseVersion(version));

const admitsVersion = (specifier: string, version: Version): boolean =>
  specifier.split(',').every((clause) => admitsClause(clause, version));

/** The versions where a clause's answer can change: its own, and the end of a `.*` or `~=` prefix. */
function boundaries(clause: string): Version[] {
  const m = CLAUSE.exec(clause);
  if (!m) return [];
  const [, op, raw] = m as unknown as [string, string, string];
  const wildcard = raw.endsWith('.*');
  const v = parseVersion(wildcard ? raw.slice(0, -2) : releaseOf(raw));
  const prefix = wildcard ? v : op === '~=' ? v.slice(0, -1) : undefined;
  if (!prefix || prefix.length === 0) return [v];
  return [v, [...prefix.slice(0, -1), prefix.at(-1)! + 1]];
}

/**
 * Does the specifier admit some release in [from, to) (`to` omitted: no end)? Each clause admits
 * whole intervals between its boundaries, so trying every boundary and one version strictly between
 * each two neighbours (the lower padded, then `.1`) covers every interval.
 */
export function admitsAnyIn(specifier: string, from: string, to?: string): boolean {
  const lo = parseVersion(from);
  const hi = to === undefined ? undefined : parseVersion(to);
  const inRange = (v: Version) => compare(v, lo) >= 0 && (hi === undefined || compare(v, hi) < 0);
  const points = [lo, ...(hi ? [hi] : []), ...specifier.split(',').flatMap(boundaries)].sort(compare);
  const width = Math.max(...points.map((p) => p.length));
  const pad = (v: Version) => [...v, ...Array<number>(width - v.length).fill(0)];
  const candidates = points.flatMap((p) => [p, [...pad(p), 1]]);
  return candidates.some((v) => inRange(v) && admitsVersion(specifier, v));
}
