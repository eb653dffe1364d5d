// Option sets shared by snapshot tests and the real-runtime tier (scripts/python-tier.mjs reads
// the same flags through the CLI). Each is argv as a user would type it.
export const OPTION_SETS: Record<string, string[]> = {
  default: ['otai-my-plugin', '--author', 'Ada Lovelace', '--email', 'ada@example.org'],
  many: [
    'otai-ticket-tools', '--description', 'Routes "urgent" tickets \\ fast — für alle Teams ✓', '--author', "Zoë O'Brien \\ Ops",
    '--email', 'zoe@example.org', '--license', 'Apache-2.0', '--build-backend', 'hatchling',
    '--pipe', 'classify-priority,route queue', '--pipe', 'HTTPFetch', '--service', 'TicketLookup,ai-client',
  ],
  // Names long enough for every wrapped layout (src/pylayout.ts): imports in parentheses, configs
  // one argument per line, docstrings over lines; a description with a double space.
  'long-plugin': [
    'otai-helpdesk-routing-and-triage-for-enterprise', '--description',
    'Routes incoming helpdesk tickets to the right queue by priority, language and product area, and  triages the rest for a human agent to review',
    '--pipe', 'ClassifyTicketPriority', '--service', 'KnowledgeBaseSearch',
  ],
  // Class names near the longest allowed: class lines and calls wrapped. No description: the README
  // has no empty paragraph, the package's __init__.py no empty docstring.
  'long-classes': [
    'otai-kb', '--description', '', '--pipe', 'ClassifyIncomingTicketPriorityFromTextAndMetadata', '--service', 'KnowledgeBaseSearchAcrossConfluenceAndJiraForAnswersX',
  ],
  // Digits in the plugin name, pipe names whose digit runs ruff sorts digit by digit (step02 before
  // step1), and classes named Test... that pytest must not take for test classes.
  digits: [
    'otai-2fa-guard', '--description', 'Second factor checks', '--license', 'Proprietary', '--build-backend', 'setuptools',
    '--pipe', 'check-code,step02,step1,test-runner', '--service', 'test-data', '--python', '>=3.14,<3.16', '--otai-version', '>=1.4.21,<1.6',
  ],
};
