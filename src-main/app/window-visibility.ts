/** At most this many windows are remembered (a web host's tabs come and go without saying so). */
const MAX_WINDOWS = 64;

/**
 * Whether any window of the app is shown, from what each window reports (`app:visibility`). A
 * window that never reported counts as nothing; until one reports, the app counts as shown, as it
 * did before windows reported. A window that closes without reporting stays as it last said, so a
 * closed tab can keep the app "shown" (the cautious side: the policy poll stays frequent).
 */
export class WindowVisibility {
  readonly #windows = new Map<string, boolean>();
  #anyVisible = true;

  constructor(private readonly onChange: (anyVisible: boolean) => void) {}

  /** Records what `senderId` said; answers whether any window is shown now. */
  report(senderId: string, visible: boolean): boolean {
    this.#windows.delete(senderId);
    this.#windows.set(senderId, visible);
    if (this.#windows.size > MAX_WINDOWS) {
      const oldest = this.#windows.keys().next().value;
      if (oldest !== undefined) this.#windows.delete(oldest);
    }
    const anyVisible = [...this.#windows.values()].some(Boolean);
    if (anyVisible !== this.#anyVisible) {
      this.#anyVisible = anyVisible;
      this.onChange(anyVisible);
    }
    return anyVisible;
  }
}
