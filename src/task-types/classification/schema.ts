import { posInt, str } from '../schema/checks.js';
import { field, typeSchema } from '../schema/kit.js';

/** Defaults are mteb's AbsTaskClassification ones (8 samples per label, 10 experiments, the "train" split). */
export const CLASSIFICATION_SCHEMA = typeSchema(
  'Classification',
  {
    samples_per_label: field<number>(posInt),
    n_experiments: field<number>(posInt),
    train_split: field<string>(str),
    /** Stratified test subset size drawn as mteb draws it (ToxicConversations: 2048). */
    test_subsample_size: field<number>(posInt),
  },
  { defaults: { samples_per_label: 8, n_experiments: 10, train_split: 'train' } },
);
