/**
 * The task spec types, for the code that only passes specs around. Their one home is src/task-types/spec.ts,
 * where TaskSpec is inferred from the per-type schemas that also validate task files.
 */
export {
  TASK_TYPES,
  hfSubsets,
  type TaskType,
  type TaskSpec,
  type TaskFileSpec,
  type SpecFor,
  type Protocol,
  type InstructionSpec,
  type TestSubsampleSpec,
} from '../task-types/spec.js';
