import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as ortTypes from 'onnxruntime-node';
import { MtebError } from '../../core/errors.js';
import { loadOnnxruntime, MissingDependencyError, type Ort } from '../../native/optional-module.js';

/** What needs onnxruntime-node here, for the error when it is not installed. */
export const NVEMBED_FEATURE = 'NV-Embed (model spec nvembed:)';

export type DeviceKind = 'cpu' | 'cuda' | 'webgpu' | 'tensorrt';
export interface Device {
  kind: DeviceKind;
  index: number;
}

export const CUDA_INSTALL_HINT =
  'install the CUDA 12 execution provider on a machine with internet: `ONNXRUNTIME_NODE_INSTALL=cuda12 npm install` ' +
  '(needs the CUDA 12 runtime and cuDNN 9 on the host); air-gapped hosts can copy libonnxruntime_providers_{cuda,shared,tensorrt}.so ' +
  'from the Microsoft.ML.OnnxRuntime.Gpu.Linux NuGet package into node_modules/onnxruntime-node/bin/napi-v6/linux/x64/';

/**
 * The stock onnxruntime-node binary has the WebGPU provider compiled in (Dawn over Vulkan on Linux); what it
 * lacks is a Vulkan loader and a device Dawn accepts. Mesa 22's lavapipe is refused ("Vulkan
 * shaderUniform*ArrayDynamicIndexing required"); Mesa 25's is accepted (docs/nvembed.md, WebGPU).
 */
export const WEBGPU_INSTALL_HINT =
  'webgpu needs the Vulkan loader (Debian libvulkan1) and a Vulkan device Dawn accepts: a GPU driver\'s ICD ' +
  '(VK_ICD_FILENAMES=/path/nvidia_icd.json) or Mesa >= 23 lavapipe on CPU-only hosts (bash bench/gpu/lavapipe.sh); see docs/nvembed.md';

/** What to install for a device whose provider did not start. */
export function installHint(dev: Device): string {
  return dev.kind === 'webgpu' ? WEBGPU_INSTALL_HINT : CUDA_INSTALL_HINT;
}

/**
 * Graph forms a provider cannot run, refused before any session is built: onnxruntime 1.30's WebGPU
 * MultiHeadAttention has no `key_padding_mask` input, which the `mha` graph feeds (it fails at the first
 * batch, not at session creation, and is not moved to the CPU node by node).
 */
export function checkAttention(dev: Device, attention: 'standard' | 'mha'): void {
  if (dev.kind === 'webgpu' && attention === 'mha') {
    throw new MtebError('E_MODEL_SPEC', 'attention=mha is not supported on webgpu (onnxruntime\'s WebGPU MultiHeadAttention has no key padding mask): use attention=standard, the webgpu default', { field: 'attention' });
  }
}

export function parseDevice(spec = 'cpu'): Device {
  const m = /^(cpu|cuda|webgpu|tensorrt)(?::(\d+))?$/.exec(spec.trim().toLowerCase());
  if (!m) throw new MtebError('E_USAGE', `unknown device "${spec}": use cpu, cuda[:N], webgpu or tensorrt`, { field: 'device' });
  return { kind: m[1] as DeviceKind, index: m[2] ? Number(m[2]) : 0 };
}

/** Where onnxruntime-node keeps its native libraries (the CUDA/TensorRT providers go next to them). */
export function ortBinDir(): string {
  const req = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = dirname(req.resolve('onnxruntime-node/package.json'));
  } catch (e) {
    throw new MissingDependencyError('onnxruntime-node', NVEMBED_FEATURE, e);
  }
  return join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
}

/**
 * Throws E_PROVIDER_UNAVAILABLE when the device's execution provider is not installed. `ort` (the loaded
 * onnxruntime-node) adds the check of its list of backends; without it only the provider libraries are looked for.
 */
export function checkProvider(dev: Device, ort?: Ort): void {
  if (dev.kind === 'cpu') return;
  const backends = (ort as any)?.listSupportedBackends?.() as { name: string; bundled: boolean }[] | undefined;
  if (backends && !backends.some((b) => b.name === dev.kind)) {
    throw new MtebError('E_PROVIDER_UNAVAILABLE', `onnxruntime-node on ${process.platform}/${process.arch} has no ${dev.kind} execution provider`, { field: 'device' });
  }
  if (dev.kind === 'cuda' || dev.kind === 'tensorrt') {
    const lib = join(ortBinDir(), `libonnxruntime_providers_${dev.kind}.so`);
    if (process.platform === 'linux' && !existsSync(lib)) {
      throw new MtebError('E_PROVIDER_UNAVAILABLE', `device ${dev.kind} requested but ${lib} is absent; ${CUDA_INSTALL_HINT}`, { field: 'device', file: lib });
    }
  }
}

export function sessionOptions(dev: Device): ortTypes.InferenceSession.SessionOptions {
  const eps: any[] = [];
  if (dev.kind === 'cuda') eps.push({ name: 'cuda', deviceId: dev.index });
  if (dev.kind === 'tensorrt') eps.push({ name: 'tensorrt', deviceId: dev.index }, { name: 'cuda', deviceId: dev.index });
  if (dev.kind === 'webgpu') eps.push({ name: 'webgpu' });
  eps.push('cpu');
  return { executionProviders: eps, graphOptimizationLevel: 'all', logSeverityLevel: 3 };
}

/**
 * Opens the graph. With `externalDir`, the model is passed as bytes and external data resolves against the
 * process cwd, so cwd is switched to the checkpoint folder while onnxruntime loads the weights: the only way
 * to read shards in place when they sit behind symlinks (onnxruntime rejects paths that resolve outside the
 * model's folder). Not safe while other code in this process depends on cwd during that await. `feature` names
 * what needs onnxruntime-node in the error when it is not installed (the hf: embedder opens its graphs here too).
 */
export async function createSession(modelPath: string, dev: Device, externalDir?: string, feature = NVEMBED_FEATURE): Promise<ortTypes.InferenceSession> {
  const ort = await loadOnnxruntime(feature);
  checkProvider(dev, ort);
  try {
    if (!externalDir) return await ort.InferenceSession.create(modelPath, sessionOptions(dev));
    const bytes = readFileSync(modelPath);
    const cwd = process.cwd();
    process.chdir(externalDir);
    try {
      return await ort.InferenceSession.create(bytes, sessionOptions(dev));
    } finally {
      process.chdir(cwd);
    }
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    if (dev.kind !== 'cpu' && /provider|cuda|cudnn|tensorrt|webgpu|adapter|vulkan|libcu|dlopen|\.so/i.test(msg)) {
      throw new MtebError('E_PROVIDER_UNAVAILABLE', `cannot start the ${dev.kind} execution provider: ${msg.split('\n')[0]}; ${installHint(dev)}`, { field: 'device' }, { cause: e });
    }
    throw new MtebError('E_MODEL_LOAD', `onnxruntime could not load ${modelPath}: ${msg.split('\n')[0]}`, { file: modelPath }, { cause: e });
  }
}
