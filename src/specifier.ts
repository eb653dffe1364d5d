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
const CLAUSE = /^ *(~=|===|==|!=|<=|>=|<|>) *([^ ,]+) *$/;
// A PEP 440 version as packaging reads it (any case): epoch, release, then pre-, post- and
// development-release parts, a local label; or, for == and !=, a release followed by `.*`.
const VERSION = /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)([-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?\d*)?(-\d+|[-_.]?(?:post|rev|r)[-_.]?\d*)?([-_.]?dev[-_.]?\d*)?(\.\*|\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?$/i;

/**
 * A clause's version, where a final release R stands to it: `rank` is 0 for V's own release, -1 for
 * a pre- or development release of it (R is after V), 1 for a post-release (R is before V). A local
 * label or an epoch puts V where no release the generator asks about is equal to it.
 */
interface Bound { op: string; epoch: number; release: Version; rank: -1 | 0 | 1; local: boolean; wildcard: boolean; text: string }

/** One clause, or undefined when PEP 440 does not allow it (packaging's Specifier refuses it too). */
function parseClause(clause: string): Bound | undefined {
  const c = CLAUSE.exec(clause);
  const v = c && VERSION.exec(c[2]!);
  if (!c || !v) return undefined;
  const op = c[1]!;
  const [, epoch, release, pre, post, dev, tail] = v;
  const wildcard = tail === '.*';
  const local = tail !== undefined && !wildcard;
  // A `.*` prefix of a release only, and only in (in)equality; a local label only in (in)equality;
  // `~=` needs two release parts and neither.
  if (wildcard && ((op !== '==' && op !== '!=') || pre || post || dev)) return undefined;
  if (local && op !== '==' && op !== '!=' && op !== '===') return undefined;
  if (op === '~=' && (wildcard || local || !release!.includes('.'))) return undefined;
  const rank = pre ? -1 : post ? 1 : dev ? -1 : 0;
  return { op, epoch: Number(epoch ?? 0), release: parseVersion(release!), rank, local, wildcard, text: c[2]! };
}

/** Is `specifier` a PEP 440 specifier set: clauses joined by commas? */
export const isSpecifier = (specifier: string): boolean => specifier.split(',').every((clause) => parseClause(clause) !== undefined);

/** Does one clause admit the final release `version` (epoch 0, no local label)? */
function admitsClause(clause: string, version: Version): boolean {
  const b = parseClause(clause);
  if (!b) return false;
  // Where a final release can never equal the clause's version: a local one, another epoch.
  const unequal = b.local || b.epoch !== 0;
  // `===` compares the text, as packaging does: the release written as a release is (no `v`, no `0!`).
  if (b.op === '===') return b.text === version.join('.');
  if (b.wildcard || b.local) {
    const same = !unequal && b.release.every((p, i) => (version[i] ?? 0) === p);
    return b.op === '!=' ? !same : same;
  }
  const c = b.epoch !== 0 ? -1 : compare(version, b.release) || -b.rank;
  switch (b.op) {
    case '==': return c === 0;
    case '!=': return c !== 0;
    case '>=': return c >= 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '<': return c < 0;
    case '~=': return c >= 0 && b.epoch === 0 && b.release.slice(0, -1).every((p, i) => (version[i] ?? 0) === p);
    default: return false;
  }
}

export const admits = (specifier: string, version: string): boolean => admitsVersion(specifier, parseVersion(version));

const admitsVersion = (specifier: string, version: Version): boolean =>
  specifier.split(',').every((clause) => admitsClause(clause, version));

/** The versions where a clause's answer can change: its own release, and the end of a `.*` or `~=` prefix. */
function boundaries(clause: string): Version[] {
  const b = parseClause(clause);
  if (!b) return [];
  const v = b.release;
  const prefix = b.wildcard ? v : b.op === '~=' ? v.slice(0, -1) : undefined;
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
