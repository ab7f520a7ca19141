export { createOpenAIEmbedder, openOpenAIEmbedder, retryAfterMs, type OpenAIEmbedderOptions, type OpenAIClientStats } from './openai-embedder.js';
export { parseOpenAISpec, type OpenAISpec } from './spec.js';
