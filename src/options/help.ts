import { optionKeys, optionSpec, type Section } from './schema.js';
import type { Command } from './parse.js';

/** What each command does, on help's first line. */
const PURPOSE: Record<Command, string> = {
  create: 'start a new Open Ticket AI plugin',
  add: 'add pipes or services to an Open Ticket AI plugin',
};

const USAGE: Record<Command, string> = {
  create: 'create-otai-plugin [name] [options]\n  npm create otai-plugin@latest [name] -- [options]',
  add: 'create-otai-plugin add pipe|service <Name...> [options]',
};

/** --help text, generated from the option schema. */
export function helpText(command: Command, version: string): string {
  const sections = new Map<Section, string[]>();
  for (const key of optionKeys) {
    const spec = optionSpec(key);
    if (!spec.commands.includes(command)) continue;
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${spec.negatable ? `[no-]${spec.flag}` : spec.flag}${spec.value ? ` ${spec.value}` : ''}`;
    const choices = spec.choices ? ` [${spec.choices.join(', ')}]` : '';
    const lines = sections.get(spec.section) ?? [];
    lines.push(`  ${flag.padEnd(34)} ${spec.help}${choices}`);
    sections.set(spec.section, lines);
  }
  const body = [...sections].map(([title, lines]) => `${title}:\n${lines.join('\n')}`).join('\n\n');
  const extra = command === 'create'
    ? '\nExamples:\n  npm create otai-plugin@latest\n  npx create-otai-plugin otai-my-plugin --pipe ClassifyPriority --service TicketLookup --yes\n  npx create-otai-plugin add pipe RouteQueue\n'
    : [
      '',
      'Adds pipes or services to an existing plugin: writes each one\'s module and test, imports it in',
      'plugin_factory.py, lists it in _get_all_injectables and adds its key to the registration test.',
      'Names take the same forms as --pipe and --service (route-queue, "route queue", RouteQueue).',
      'Run inside the plugin\'s folder, or pass --cwd.',
      '',
      'Examples:',
      '  npx create-otai-plugin add pipe RouteQueue',
      '  npx create-otai-plugin add service ticket-lookup,ai-client --cwd otai-my-plugin --dry-run',
      '',
    ].join('\n');
  return `create-otai-plugin ${version}: ${PURPOSE[command]}\n\nUsage:\n  ${USAGE[command]}\n\n${body}\n${extra}\nExit codes: 0 success, 1 failure while working, 2 invalid usage or input, 130 cancelled (143 by SIGTERM; a closed terminal while writing ends it by SIGHUP, 129).\n`;
}
