/** A task's HF subsets (configs) as mteb iterates them: its `hf_subsets`, or the one `default`. */
export function hfSubsets(spec: { hf_subsets?: readonly string[] }): string[] {
  return spec.hf_subsets && spec.hf_subsets.length ? [...spec.hf_subsets] : ['default'];
}
