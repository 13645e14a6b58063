import { unreadable, type ConfigSource } from './config-source';
import type { PolicyReaderDeps } from './policy-reader-deps';

/** A JSON configuration file as a source; undefined when the file does not exist. */
export async function readJsonSource(
  path: string,
  managed: boolean,
  deps: Pick<PolicyReaderDeps, 'readText'>,
): Promise<ConfigSource | undefined> {
  let text: string | undefined;
  try {
    text = await deps.readText(path);
  } catch (error) {
    throw unreadable(path, error instanceof Error ? error.message : String(error));
  }
  if (text === undefined) return undefined;
  try {
    return { origin: path, managed, document: JSON.parse(text) as unknown };
  } catch (error) {
    throw unreadable(path, `it is not JSON (${error instanceof Error ? error.message : ''})`);
  }
}
