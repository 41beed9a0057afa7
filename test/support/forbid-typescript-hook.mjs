// `node --import` this file to make a process fail on loading TypeScript or tsx: the build's test uses it to show
// that an installed `loop` runs compiled JavaScript only.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`export async function load(url, context, next) {
  if (url.endsWith('.ts') || url.includes('/node_modules/tsx/')) throw new Error('loaded at run time: ' + url);
  return next(url, context);
}`),
);
