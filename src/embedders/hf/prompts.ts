import type { InstructionTask, Role } from '../../core/embedder.js';
import type { HfCheckpoint } from './checkpoint.js';

/** The text prefix each side gets, and where it came from (shown by `mteb-ts models` and in model_meta's loader). */
export interface PromptChoice {
  query: string;
  passage: string;
  source: string;
  /** Query-side template around the task instruction (`{instruction}`), used instead of `query` when the task has one. */
  queryTemplate?: string;
  /** The registered model's own per-task instructions (mteb 1.12 `v1` / 2.x `v2`), where they differ from the task file's. */
  taskInstructions?: Record<string, { v1?: string; v2?: string }>;
}

/** Prompts set by the caller (spec options `query_prompt` / `passage_prompt`, or a registered model's entry). */
export interface PromptOverride {
  query?: string;
  passage?: string;
  source: string;
  queryTemplate?: string;
  taskInstructions?: Record<string, { v1?: string; v2?: string }>;
}

/**
 * Which prompt each role gets, as mteb's sentence-transformers wrapper picks it: the caller's override (spec
 * options), else the checkpoint's `prompts` entry named after the role (`query`; `passage`, or `document` as newer
 * checkpoints name it), else the registered model's prompts (mteb's registry: bge, e5, nomic, ...), else
 * `default_prompt_name` (what SentenceTransformer.encode applies when no prompt is named), else none.
 * A registered instruction-following model (e5-mistral, SFR, gte-Qwen2) also carries its query template.
 */

/** The prefix a text gets: the instruction template on the query side when the task has an instruction, else the fixed prompt. */
export function promptFor(p: PromptChoice, role: Role, instruction?: string): string {
  if (role === 'query' && p.queryTemplate && instruction) return p.queryTemplate.replace('{instruction}', instruction);
  return role === 'query' ? p.query : p.passage;
}
export function choosePrompts(ck: HfCheckpoint, override?: PromptOverride, registered?: PromptOverride): PromptChoice {
  const p = ck.prompts;
  const dflt = ck.defaultPromptName ? p[ck.defaultPromptName] : undefined;
  const byRole = (role: Role) => (role === 'query' ? p.query : (p.passage ?? p.document));
  const hasRolePrompts = byRole('query') !== undefined || byRole('passage') !== undefined;
  const base = (role: Role): string => byRole(role) ?? (!hasRolePrompts && registered ? registered[role] : undefined) ?? dflt ?? '';
  const source = hasRolePrompts ? 'config_sentence_transformers.json' : registered ? registered.source : dflt !== undefined ? 'config_sentence_transformers.json (default_prompt_name)' : 'none';
  if (override && (override.query !== undefined || override.passage !== undefined)) {
    return { query: override.query ?? base('query'), passage: override.passage ?? base('passage'), source: override.source };
  }
  // An instruction-following registered model takes the task's instruction as mteb's instruct wrapper does,
  // ahead of the checkpoint's fixed prompts (which mteb does not use for it).
  if (registered?.queryTemplate) {
    return { query: base('query'), passage: base('passage'), source: registered.source, queryTemplate: registered.queryTemplate, taskInstructions: registered.taskInstructions };
  }
  return { query: base('query'), passage: base('passage'), source };
}

/**
 * The instruction an instruction-following model gets for a task's role, as mteb's instruct wrapper picks it: on
 * the query side mteb's own text for the task (1.12's for `mteb-1` protocol tasks, 2.x's for `mteb-2`) where the
 * registry lists one, else the task file's; documents none (apply_instruction_to_passages=False). Models without a
 * query template keep the task file's instruction (they do not use it).
 */
export function instructionFor(p: PromptChoice, task: InstructionTask, role: Role, fileInstruction: string | undefined): string | undefined {
  if (!p.queryTemplate) return fileInstruction;
  if (role === 'passage') return undefined;
  const own = p.taskInstructions?.[task.name];
  const text = task.protocol === 'mteb-2' ? own?.v2 : own?.v1;
  return text ?? fileInstruction;
}
