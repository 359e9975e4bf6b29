/**
 * The longest stretch the event loop was held by this process's own work. A plain loop-delay
 * figure (perf_hooks monitorEventLoopDelay) also counts the time the OS did not run the process
 * at all, which on a loaded machine is most of it; so each stretch between two 5 ms ticks counts
 * as the smaller of its wall-clock length and the CPU time the process used meanwhile: a loop
 * held by our code burns CPU for as long as it is held, a descheduled one does not.
 * Used by test/server/no-freeze.test.ts and `npm run bench -- sweep`.
 */
export function blockMeter(): { stop(): { longest: number; longestWall: number } } {
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  let longest = 0;
  let longestWall = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    const wall = now - last;
    longest = Math.max(longest, Math.min(wall, (cpu.user + cpu.system) / 1000));
    longestWall = Math.max(longestWall, wall);
    last = now;
    lastCpu = process.cpuUsage();
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      return { longest, longestWall };
    },
  };
}
