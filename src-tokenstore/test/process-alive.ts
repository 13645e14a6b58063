/** Whether a process with this id is alive (signal 0 checks without signalling: https://man7.org/linux/man-pages/man2/kill.2.html). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
