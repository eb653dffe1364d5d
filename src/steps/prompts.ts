import { usageError } from '../errors.js';
import type { Io } from '../io.js';
import type { Environment } from '../options/resolve.js';
import type { Flags } from '../options/schema.js';

// Interactive flow: not built yet (see the interactive issue). Until then, say how to run without it.
export async function interactiveCreate(_flags: Flags, _positionals: readonly string[], _env: Environment, _io: Io): Promise<number> {
  throw usageError('interactive_unavailable', 'Interactive mode is not available yet; pass the name and --yes (see --help).');
}
