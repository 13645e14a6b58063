import { useCallback, useEffect, useRef, useState } from 'react';

/** A short note after an action ("Copied link", "Completed - Undo"). */
export interface ToastMessage {
  readonly text: string;
  readonly tone?: 'error';
  /** Shows an Undo button while the toast is up. */
  readonly undo?: () => void;
}

/** The toast on screen and how to show one for `ms` (2 s by default). */
export function useToast(): [
  ToastMessage | undefined,
  (toast: ToastMessage, ms?: number) => void,
  () => void,
] {
  const [toast, setToast] = useState<ToastMessage>();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const hide = useCallback(() => {
    clearTimeout(timer.current);
    setToast(undefined);
  }, []);
  const show = useCallback((next: ToastMessage, ms = 2000) => {
    clearTimeout(timer.current);
    setToast(next);
    timer.current = setTimeout(() => setToast(undefined), ms);
  }, []);
  useEffect(() => () => clearTimeout(timer.current), []);
  return [toast, show, hide];
}

/**
 * Where toasts appear. The status element is always in the page, so screen readers announce
 * what is put in it (a live region added with its text is often not read).
 */
export function Toast({
  toast,
  onUndo,
}: {
  readonly toast: ToastMessage | undefined;
  readonly onUndo: () => void;
}) {
  return (
    <div
      className={`toast${toast ? ' shown' : ''}${toast?.tone === 'error' ? ' toast-error' : ''}`}
    >
      <span role="status" className="toast-text">
        {toast?.text}
      </span>
      {toast?.undo ? (
        <button type="button" className="row-action" onClick={onUndo} aria-keyshortcuts="Control+Z">
          Undo
        </button>
      ) : null}
    </div>
  );
}
