// Which Node runs the CLI: package.json's engines, said the same way here (a test keeps the two
// equal). Node 21 lacks what the prompt library uses (util.styleText with a list of styles), and
// Node before 20.13 too; non-interactive runs would mostly work, the prompts would crash mid-way.

export const NODE_ENGINES = '^20.13.0 || >=22.0.0';

/** Whether a Node version (process.versions.node) is one NODE_ENGINES admits. */
export function supportedNode(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return (major === 20 && minor >= 13) || major >= 22;
}

/** What a run on another Node says, and how to fix it. */
export const unsupportedNodeMessage = (version: string) =>
  `create-otai-plugin needs Node.js 20.13 or later, and not 21 (its prompts do not work there); this is Node.js v${version}. Install a current Node.js LTS (22 or 24, say) and run again.\n`;
