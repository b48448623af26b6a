/** The error a cancelled wait rejects with: the signal's own AbortError, or a fresh one. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('The operation was aborted.', 'AbortError');
}

/**
 * A wait that `schedule` ends by calling `wake`. An abort (before or during) calls the canceller
 * `schedule` returned and rejects with an AbortError; a wake detaches the abort listener.
 */
export function abortableWait(
  signal: AbortSignal | undefined,
  schedule: (wake: () => void) => () => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => {
      cancel();
      reject(abortError(signal as AbortSignal));
    };
    const cancel = schedule(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
