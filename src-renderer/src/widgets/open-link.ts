import type { WorkstationClient } from '../bridge/workstation-client';

/** Opens a link through main's guard; in a browser the page opens what main approved. */
export async function openLink(client: WorkstationClient, url: string): Promise<void> {
  const answer = await client.call('links:open', { url });
  if (!answer.opened) window.open(answer.url, '_blank', 'noopener');
}
