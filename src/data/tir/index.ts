// Tool-integrated reasoning: parse a response's ```python / ```output blocks, re-execute them in a limited
// subprocess, and check the stated outputs. docs/tir.md describes the API and the sandbox.
export { parseTir, isTirResponse, type TirResponse, type TirStep } from './parse-tir.ts';
export { runTirCode, type TirLimits, type TirExecution, type BlockResult } from './run-tir-code.ts';
export { checkTir, normalizeOutput, type TirCheck, type OutputMismatch } from './check-tir.ts';
