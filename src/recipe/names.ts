// A run or recipe name: it becomes a folder name, so letters, digits, ".", "_" and "-", starting with a letter or digit.
export const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

// Whether an input is a URL (hf://…, s3://…) rather than a path on this machine.
export function isUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}
