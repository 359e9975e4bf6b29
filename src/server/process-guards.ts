/**
 * Process-level guard (reliability review D16): a promise nobody awaited that fails (a library's
 * internal timer, a fire-and-forget call) is logged at error level instead of ending the process
 * (Node 20's default) with acknowledged work in flight. Returns the uninstall, for tests.
 */
import type { Logger } from './logger';

export function logUnhandledRejections(logger: Logger, proc: NodeJS.Process = process): () => void {
  const onRejection = (reason: unknown) => logger.error({ err: reason }, 'unhandled promise rejection');
  proc.on('unhandledRejection', onRejection);
  return () => proc.off('unhandledRejection', onRejection);
}
