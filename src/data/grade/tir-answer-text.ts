// A tool-integrated-reasoning response's code is not its answer: the `print(17 * 3)` of a ```python block would
// otherwise be read as "the last number". Extraction sees the prose and the ```output blocks, not the code.
const PYTHON_BLOCK = /```[ \t]*python[ \t]*\r?\n[\s\S]*?```/gi;

export function tirAnswerText(response: string): string {
  return response.includes('```') ? response.replace(PYTHON_BLOCK, '') : response;
}
