// Author and email default to git's user.name and user.email, read in one `git config` run.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir, testEnv } from './helpers/cli.js';

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
});

function withGitConfig(text: string) {
  const env = testEnv();
  writeFileSync(env.GIT_CONFIG_GLOBAL!, text);
  return env;
}

/** pyproject.toml of otai-my-plugin generated (--yes, plus `flags`) where git's global config is `gitconfig`. */
function generatedWith(gitconfig: string, flags: string[] = []): string {
  const cwd = tempDir();
  const r = runCli(['otai-my-plugin', '--yes', '--no-git', '--no-install', ...flags], cwd, withGitConfig(gitconfig));
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(join(cwd, 'otai-my-plugin', 'pyproject.toml'), 'utf8');
}

describe('author and email from git config', () => {
  it('are the last user.name and user.email git would report', () => {
    const pyproject = generatedWith('[user]\n\tname = Old Name\n[user]\n\tname = Grace Hopper\n\temail = grace@example.org\n');
    expect(pyproject).toContain('{ name = "Grace Hopper", email = "grace@example.org" }');
    expect(pyproject).not.toContain('Old Name');
  });

  it('leave out a git name the package metadata cannot hold, as a prompt does, instead of stopping the run', () => {
    const gitconfig = '[user]\n\tname = Ann \\"Nick\\" Lee\n\temail = ann@example.org\n';
    const pyproject = generatedWith(gitconfig);
    expect(pyproject).toContain('{ email = "ann@example.org" }');
    expect(pyproject).not.toContain('Nick');
    // Typed as a flag, the same name is refused (exit 2), with the rule.
    expect(runCli(['otai-my-plugin', '--yes', '--no-git', '--no-install', '--author', 'Ann "Nick" Lee'], tempDir(), withGitConfig(gitconfig))).toMatchObject({ code: 2, stderr: expect.stringMatching(/may not contain <, >, "/) });
  });

  it('give way to --author and --email, one by one', () => {
    const pyproject = generatedWith('[user]\n\tname = Grace Hopper\n\temail = grace@example.org\n', ['--author', 'Ada Lovelace']);
    expect(pyproject).toContain('{ name = "Ada Lovelace", email = "grace@example.org" }');
  });
});
