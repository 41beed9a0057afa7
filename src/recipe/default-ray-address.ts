// The Ray dashboard a recipe without `address` (and without RAY_ADDRESS) talks to: Ray's own default. It lives with
// the recipe, not in executors/ray/, so that provenance and reporting name it without loading the Ray backend.
export const DEFAULT_RAY_ADDRESS = 'http://127.0.0.1:8265';
