import { useEffect, useState } from 'react';

/** The time now, moved on every 30 s: enough for "In 4 min" and "Today" to stay true. */
export function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
