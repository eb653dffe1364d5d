// argv → Flags, driven by the schema. Hand-written because node:util parseArgs (Node 20) has no
// --no-<flag> negation and no per-command option sets.
import { usageError } from '../errors.js';
import { OPTIONS, optionKeys, optionSpec, type Flags, type OptionKey } from './schema.js';

export type Command = 'create' | 'add';
export interface ParsedArgs {
  command: Command;
  positionals: string[];
  flags: Flags;
}

const byFlag = new Map<string, OptionKey>(optionKeys.map((k) => [OPTIONS[k].flag, k]));
const byShort = new Map<string, OptionKey>(
  optionKeys.flatMap((k) => { const s = optionSpec(k).short; return s ? [[s, k] as const] : []; }),
);

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function unknownFlag(arg: string, command: Command): never {
  const name = arg.replace(/^-+/, '').split('=')[0]!;
  const candidates = optionKeys.filter((k) => (OPTIONS[k].commands as readonly string[]).includes(command)).map((k) => OPTIONS[k].flag);
  const close = candidates.map((c) => [c, distance(name, c)] as const).sort((a, b) => a[1] - b[1])[0];
  const hint = close && close[1] <= 2 ? ` Did you mean --${close[0]}?` : '';
  throw usageError('unknown_option', `Unknown option ${arg}.${hint} Run with --help to see all options.`);
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const bad = argv.find((a) => a.includes('\0'));
  if (bad !== undefined) throw usageError('invalid_argument', 'An argument contains a NUL byte; remove it.');
  const command: Command = argv[0] === 'add' ? 'add' : 'create';
  const args = command === 'add' ? argv.slice(1) : argv;
  const flags: Record<string, string | string[] | boolean> = {};
  const positionals: string[] = [];

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') { positionals.push(...args.slice(i + 1)); break; }
    if (!arg.startsWith('-') || arg === '-') { positionals.push(arg); continue; }

    let key: OptionKey | undefined;
    let inline: string | undefined;
    let negated = false;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
      key = byFlag.get(name);
      if (!key && name.startsWith('no-')) {
        const positive = byFlag.get(name.slice(3));
        if (positive && optionSpec(positive).negatable) { key = positive; negated = true; }
      }
    } else if (arg.length === 2) {
      key = byShort.get(arg.slice(1));
    }
    if (!key || !(OPTIONS[key].commands as readonly string[]).includes(command)) unknownFlag(arg, command);

    const spec = optionSpec(key);
    if (spec.kind === 'boolean') {
      if (inline !== undefined) throw usageError('invalid_argument', `--${spec.flag} takes no value; write --${spec.flag}${spec.negatable ? ` or --no-${spec.flag}` : ''}.`);
      flags[key] = !negated;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = args[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-')) {
        // A value that starts with `-` reads as the next flag; the `=` form takes it as it is.
        const hint = next === undefined ? '' : ` (a value that starts with "-" goes after "=": --${spec.flag}=${next})`;
        throw usageError('missing_value', `--${spec.flag} needs a value: --${spec.flag} ${spec.value ?? '<value>'}${hint}.`);
      }
      value = next;
      i++;
    }
    if (spec.kind === 'list') {
      flags[key] = [...((flags[key] as string[] | undefined) ?? []), value];
    } else {
      if (flags[key] !== undefined) throw usageError('repeated_option', `--${spec.flag} was given twice; give it once.`);
      flags[key] = value;
    }
  }
  return { command, positionals, flags: flags as Flags };
}
