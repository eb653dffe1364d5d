// Plan → file contents. Nothing touches the disk here except reading templates (tests only); texts
// are rendered as the writer reads them, into its staging folder, so a template error can never
// leave a half-written plugin.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workError } from './errors.js';
import { templatesDir } from './paths.js';
import type { PlannedFile } from './plan.js';
import { BUILT_TEMPLATES, ejsOptions, type Compiled } from './templates.js';

export interface RenderedFile {
  readonly path: string;
  readonly content: string;
}

const compiled = new Map<string, Compiled>();

async function load(template: string): Promise<Compiled> {
  let fn = compiled.get(template);
  if (!fn) {
    // The bundle carries each template precompiled (and no ejs); from src/ (tests) ejs compiles the file.
    fn = BUILT_TEMPLATES ? builtTemplate(template) : await compileFile(template);
    compiled.set(template, fn);
  }
  return fn;
}

function builtTemplate(template: string): Compiled {
  const fn = Object.hasOwn(BUILT_TEMPLATES!, template) ? BUILT_TEMPLATES![template] : undefined;
  if (fn === undefined) throw workError('template_missing', `The template ${template} is not in this build of create-otai-plugin. This is a bug; please report it.`);
  return fn;
}

async function compileFile(template: string): Promise<Compiled> {
  const { default: ejs } = await import('ejs');
  const filename = join(templatesDir(), template);
  return ejs.compile(readFileSync(filename, 'utf8'), { ...ejsOptions(template), filename }) as unknown as Compiled;
}

/** Render planned files with a context: a whole plan at creation, or the new components for `add`. */
export async function renderPlan(plan: { files: readonly PlannedFile[]; context: object }): Promise<RenderedFile[]> {
  const out: RenderedFile[] = [];
  const locals = localsOf(plan.context);
  // Awaited only for a template not yet loaded: one await per file costs more than the rest of this loop.
  for (const file of plan.files) out.push(new LazyFile(file, compiled.get(file.template) ?? await load(file.template), locals));
  return out;
}

type Locals = new (component: PlannedFile['component']) => object;

/**
 * What a template sees: `component` over the shared context as prototype, not copied (hundreds of
 * components render from one context). Made by a constructor: each render makes one small object.
 */
function localsOf(context: object): Locals {
  function Locals(this: { component: unknown }, component: unknown) { this.component = component; }
  Locals.prototype = context;
  return Locals as unknown as Locals;
}

/**
 * Render every file once, for a dry run: it then fails on a template error where a real run would,
 * and can list sizes. Returns path → bytes.
 */
export function renderSizes(files: readonly RenderedFile[]): Map<string, number> {
  return new Map(files.map((f) => [f.path, Buffer.byteLength(f.content)]));
}

/**
 * A rendered file whose text is made when it is read, and not kept: the writer reads each once and
 * writes it, so hundreds of rendered texts are never in memory at once (measured: the garbage
 * collections of a 200-component plugin took 5 ms, copying texts still held). Reading again renders
 * again, the same text. A template error surfaces at the read: while staging, whose folder is then
 * removed, so nothing reaches the target.
 */
class LazyFile implements RenderedFile {
  readonly path: string;
  constructor(private readonly file: PlannedFile, private readonly fn: Compiled, private readonly Locals: Locals) {
    this.path = file.path;
  }

  get content(): string {
    try {
      return this.fn(new this.Locals(this.file.component));
    } catch (error) {
      throw workError('template_error', `Rendering ${this.file.template} failed: ${(error as Error).message}. This is a bug in create-otai-plugin; please report it.`);
    }
  }
}
