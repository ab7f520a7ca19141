import { MtebError } from '../../core/errors.js';

/** sentence-transformers' Pooling modes, in the order its forward() concatenates them. */
export const POOLING_MODES = ['cls', 'max', 'mean', 'mean_sqrt_len', 'weightedmean', 'lasttoken'] as const;
export type PoolingMode = (typeof POOLING_MODES)[number];

export interface PoolingConfig {
  /** Enabled modes in concatenation order (usually one). */
  modes: PoolingMode[];
  /** false: the prompt's tokens (after [CLS]) are left out of the pooling mask. */
  includePrompt: boolean;
}

const FLAG: Record<PoolingMode, string> = {
  cls: 'pooling_mode_cls_token',
  max: 'pooling_mode_max_tokens',
  mean: 'pooling_mode_mean_tokens',
  mean_sqrt_len: 'pooling_mode_mean_sqrt_len_tokens',
  weightedmean: 'pooling_mode_weightedmean_tokens',
  lasttoken: 'pooling_mode_lasttoken',
};

/** 1_Pooling/config.json -> the enabled modes; `pooling_mode` (the string form) is accepted too. */
export function parsePoolingConfig(cfg: Record<string, unknown>, file: string): PoolingConfig {
  let modes: PoolingMode[];
  if (typeof cfg.pooling_mode === 'string') {
    const m = cfg.pooling_mode === 'mean_tokens' ? 'mean' : cfg.pooling_mode === 'max_tokens' ? 'max' : cfg.pooling_mode === 'cls_token' ? 'cls' : cfg.pooling_mode;
    if (!(POOLING_MODES as readonly string[]).includes(m)) throw new MtebError('E_MODEL_LOAD', `pooling_mode "${cfg.pooling_mode}" is not one of ${POOLING_MODES.join(', ')}`, { file, field: 'pooling_mode' });
    modes = [m as PoolingMode];
  } else {
    modes = POOLING_MODES.filter((m) => cfg[FLAG[m]] === true);
  }
  if (!modes.length) throw new MtebError('E_MODEL_LOAD', `no pooling mode is enabled (set one of ${Object.values(FLAG).join(', ')})`, { file });
  const ip = cfg.include_prompt ?? true;
  if (typeof ip !== 'boolean') throw new MtebError('E_MODEL_LOAD', 'include_prompt must be true or false', { file, field: 'include_prompt' });
  return { modes, includePrompt: ip };
}

/** Output width of the pooled vector: each mode contributes one hidden-sized block. */
export function pooledDimension(cfg: PoolingConfig, hidden: number): number {
  return cfg.modes.length * hidden;
}

/**
 * Pooling.forward (+ Normalize when the checkpoint has it) for one row of token states, accumulated in float64.
 * `states` is the row's [seq, hidden] block; `length` its real tokens (the rest is padding, ignored whatever its
 * side, so batch padding changes nothing); `promptLength` tokens at the start are masked when include_prompt is off.
 */
export function poolRow(states: Float32Array, hidden: number, length: number, cfg: PoolingConfig, promptLength: number, normalize: boolean, out: Float32Array): void {
  const first = cfg.includePrompt ? 0 : Math.min(promptLength, length);
  const acc = new Float64Array(cfg.modes.length * hidden);
  cfg.modes.forEach((mode, k) => {
    const o = k * hidden;
    const at = (t: number, j: number) => states[t * hidden + j];
    if (mode === 'cls') {
      for (let j = 0; j < hidden; j++) acc[o + j] = at(0, j);
    } else if (mode === 'max') {
      // sentence-transformers sets masked positions to -1e9 before the max
      for (let j = 0; j < hidden; j++) {
        let m = first < length ? -Infinity : -1e9;
        for (let t = first; t < length; t++) m = Math.max(m, at(t, j));
        acc[o + j] = m;
      }
    } else if (mode === 'mean' || mode === 'mean_sqrt_len' || mode === 'weightedmean') {
      let wsum = 0;
      for (let t = first; t < length; t++) {
        // weightedmean weighs position t (0-based) by t + 1
        const w = mode === 'weightedmean' ? t + 1 : 1;
        wsum += w;
        for (let j = 0; j < hidden; j++) acc[o + j] += w * at(t, j);
      }
      const div = mode === 'mean_sqrt_len' ? Math.sqrt(Math.max(wsum, 1e-9)) : Math.max(wsum, 1e-9);
      for (let j = 0; j < hidden; j++) acc[o + j] /= div;
    } else {
      // lasttoken: the last position the mask keeps (the last real token; the final position when none is kept)
      const t = first < length ? length - 1 : -1;
      if (t >= 0) for (let j = 0; j < hidden; j++) acc[o + j] = at(t, j);
      else throw new MtebError('E_USAGE', 'last-token pooling found no token outside the prompt');
    }
  });
  let scale = 1;
  if (normalize) {
    let ss = 0;
    for (let j = 0; j < acc.length; j++) ss += acc[j] * acc[j];
    scale = 1 / Math.max(Math.sqrt(ss), 1e-12);
  }
  for (let j = 0; j < acc.length; j++) out[j] = acc[j] * scale;
}
