// Starts the Hub emulator by hand: `npx tsx test/support/hub-emulator/start.ts [--port 8088] [--token hf_…]
// [--lfs-threshold BYTES]`. It prints the HF_ENDPOINT to export and serves until Ctrl-C (docs/artifacts.md).
import { parseArgs } from 'node:util';
import { startHubEmulator } from './hub-emulator.ts';

const { values } = parseArgs({
  options: { port: { type: 'string' }, token: { type: 'string', multiple: true }, 'lfs-threshold': { type: 'string' } },
});
const emulator = await startHubEmulator({
  port: values.port ? Number(values.port) : 0,
  tokens: values.token ?? [],
  lfsThreshold: values['lfs-threshold'] ? Number(values['lfs-threshold']) : undefined,
});
process.stdout.write(`HF_ENDPOINT=${emulator.url}\n`);
const stop = () => void emulator.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
