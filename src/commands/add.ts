import { usageError } from '../errors.js';
import type { Io } from '../io.js';
import type { Environment } from '../options/resolve.js';
import type { Flags } from '../options/schema.js';

export async function add(_flags: Flags, _positionals: readonly string[], _env: Environment, _io: Io): Promise<number> {
  throw usageError('add_unavailable', 'The add command is not available yet.');
}
