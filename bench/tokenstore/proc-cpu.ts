/**
 * CPU times from a /proc/<pid>/stat line (https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html),
 * in microseconds: the process's own (utime + stime), or that of the children it has waited for
 * (cutime + cstime). Times are in clock ticks of USER_HZ, 100 per second on Linux.
 */
export function cpuUsFromStat(stat: string, whose: 'own' | 'waitedChildren'): number {
  // "pid (comm) state ...": comm may hold spaces and parentheses, so fields count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [user, system] = whose === 'own' ? [fields[11], fields[12]] : [fields[13], fields[14]];
  return (Number(user) + Number(system)) * (1e6 / 100);
}
