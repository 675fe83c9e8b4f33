/** Cancellation: how the engine checks an AbortSignal between files and documents. */

/** Throws the signal's reason if it was aborted. */
export function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/** Files (or documents) handled between two looks at an AbortSignal. */
export const ABORT_STRIDE = 32;

/** Lets the event loop run (a timer or a message may abort), then checks the signal. */
export async function yieldAndCheck(signal: AbortSignal | undefined): Promise<void> {
  await new Promise<void>((resolveTurn) => setImmediate(resolveTurn));
  checkAborted(signal);
}
