// Data tables the templates and the option schema share. Adding a license or a build backend is
// one row here plus, for a license, its text under templates/licenses/.

export const LICENSES = {
  MIT: { spdx: 'MIT', label: 'MIT', hint: 'permissive' },
  'Apache-2.0': { spdx: 'Apache-2.0', label: 'Apache-2.0', hint: 'permissive, with a patent grant' },
  'LGPL-2.1-only': { spdx: 'LGPL-2.1-only', label: 'LGPL-2.1-only', hint: 'as Open Ticket AI itself' },
  'GPL-3.0-only': { spdx: 'GPL-3.0-only', label: 'GPL-3.0-only', hint: 'copyleft' },
  // Not an SPDX id: PEP 639 allows LicenseRef-*, and the classifier keeps it off public indexes.
  Proprietary: { spdx: 'LicenseRef-Proprietary', label: 'Proprietary', hint: 'all rights reserved; not for public upload' },
} as const;
export type LicenseId = keyof typeof LICENSES;

export const BUILD_BACKENDS = {
  // What `uv init --lib` writes (uv 0.13): the uv_build backend, module found under src/ by name.
  uv: { requires: 'uv_build>=0.13.0,<0.14.0', backend: 'uv_build', hint: 'uv_build, as uv init --lib writes' },
  hatchling: { requires: 'hatchling>=1.27', backend: 'hatchling.build', hint: 'Hatch' },
  setuptools: { requires: 'setuptools>=77', backend: 'setuptools.build_meta', hint: 'setuptools' },
} as const;
export type BuildBackendId = keyof typeof BUILD_BACKENDS;

/**
 * open-ticket-ai versions the templates are proven against by the real-runtime test tier
 * (scripts/python-tier.mjs). 1.4.21 is the newest 1.x whose dependency graph resolves; 1.5.x is
 * checked with --no-deps (its otai-zammad dependency is not published); 2.0.0 has no plugin system.
 */
export const OTAI_PROVEN_VERSIONS = ['1.4.21', '1.5.14'] as const;
/** Of those, the ones `uv sync` can install (their dependency graph resolves): a range must admit one. */
export const OTAI_INSTALLABLE_VERSIONS = ['1.4.21'] as const;
/**
 * The newest CPython 3.14 release known here (what the tier runs). requires-python must admit it:
 * a lower bound above it (>=3.14.99) leaves uv no Python to use. Raise it as new patches ship.
 */
export const PYTHON_314_NEWEST_KNOWN = '3.14.10';
export const DEFAULT_OTAI_SPECIFIER = '>=1.4.21,<2.0.0';
export const DEFAULT_PYTHON_SPECIFIER = '>=3.14';
/**
 * pydantic, which every pipe and service imports itself (their params and results are models):
 * declared, not left to open-ticket-ai's own requirement (~=2.12.0), as Open Ticket AI's own
 * plugins declare it (>=2.11.7, for Python 3.13); 2.12 is the first whose pydantic-core has
 * wheels for CPython 3.14 (2.11's fails to build there).
 */
export const PYDANTIC_REQUIREMENT = 'pydantic>=2.12';
/**
 * Dev tools the generated project pins from below; what the tier ran with. ruff 0.13 warns on every
 * run that Python 3.14 support is in preview; 0.14 does not (checked by hand).
 */
export const DEV_DEPENDENCIES = ['pytest>=8.4', 'pytest-asyncio>=1.0', 'ruff>=0.14', 'mypy>=1.18'] as const;

/** Open Ticket AI's own distributions: a plugin with one of these names would replace the real one. */
export const RESERVED_PLUGIN_NAMES = ['otai-base', 'otai-hf-local', 'otai-otobo-znuny', 'otai-zammad'] as const;
