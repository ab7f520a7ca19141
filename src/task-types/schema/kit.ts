/**
 * A tiny typed schema kit: each field pairs a runtime check with the TypeScript type it admits, so a task type's
 * spec type is inferred from the same object that validates task files (nothing hand-written that can drift).
 */
export type Check = (v: unknown) => string | null;

/** One problem of a task object: `path` is a JSON path like `$.dataset.revision`. */
export interface SchemaIssue {
  path: string;
  message: string;
}

declare const VALUE: unique symbol;
/** A field's runtime validation (all problems of value `v` at JSON path `path`); `T` (phantom) is the type it admits. */
export interface Field<T> {
  readonly validate: (v: unknown, path: string) => SchemaIssue[];
  readonly [VALUE]?: T;
}
export type Fields = Record<string, Field<unknown>>;
export type ValueOf<F> = F extends Field<infer T> ? T : never;

export function expected(path: string, what: string, v: unknown): SchemaIssue {
  return { path, message: `expected ${what}, got ${JSON.stringify(v) ?? 'undefined'}` };
}

/** A field with one check over its whole value. */
export function field<T>(check: Check): Field<T> {
  return {
    validate: (v, path) => {
      const m = check(v);
      return m ? [expected(path, m, v)] : [];
    },
  };
}

/** A field with its own member-by-member validation (objects whose members get their own JSON paths). */
export function structField<T>(validate: (v: unknown, path: string) => SchemaIssue[]): Field<T> {
  return { validate };
}

/** One task type's own fields, which of them are required, and the defaults filled when a spec is loaded. */
export interface TypeSchema<T extends string, F extends Fields, R extends keyof F, D extends keyof F> {
  readonly type: T;
  readonly fields: F;
  readonly required: readonly R[];
  readonly defaults: { readonly [K in D]: ValueOf<F[K]> };
}

export function typeSchema<T extends string, F extends Fields, R extends keyof F = never, D extends keyof F = never>(
  type: T,
  fields: F,
  opts: { required?: readonly R[]; defaults?: { readonly [K in D]: ValueOf<F[K]> } } = {},
): TypeSchema<T, F, R, D> {
  return { type, fields, required: opts.required ?? [], defaults: (opts.defaults ?? {}) as { readonly [K in D]: ValueOf<F[K]> } };
}

type Simplify<O> = { [K in keyof O]: O[K] } & {};

/** The spec a schema describes once defaults are filled: required and defaulted fields present, the rest optional. */
export type SpecOf<S> =
  S extends TypeSchema<infer T, infer F, infer R, infer D>
    ? Simplify<{ type: T } & { [K in keyof F]?: ValueOf<F[K]> } & { [K in R | D]-?: ValueOf<F[K]> }>
    : never;

/** The spec as a task file may write it (defaults not yet filled). */
export type FileSpecOf<S> =
  S extends TypeSchema<infer T, infer F, infer R, infer _D>
    ? Simplify<{ type: T } & { [K in keyof F]?: ValueOf<F[K]> } & { [K in R]-?: ValueOf<F[K]> }>
    : never;
