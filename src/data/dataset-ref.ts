/**
 * What src/data needs to know of a task: its name (for messages), where its dataset lives, and whether it is an
 * aggregate (which has none). Every TaskSpec is one; src/data never imports the task types (they import it).
 */
export interface DatasetRef {
  name: string;
  dataset: { path: string; revision?: string };
  source_dir?: string;
  aggregate_of?: readonly string[];
}
