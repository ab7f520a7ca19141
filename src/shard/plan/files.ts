/** A file a plan writes: its name inside the plan folder, its text, and whether it is executable. */
export interface PlanFile {
  name: string;
  text: string;
  executable?: boolean;
}
